"""A read-only view of the outbox for operators; changes go through services (``notify_drain``)."""

from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "channel",
        "template",
        "recipient_label",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "template"]
    search_fields = ["address", "template", "subject", "dedup_key"]
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "attachments"]
    exclude = ["attachments"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
