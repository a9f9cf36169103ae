from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "congso.inbox"
    label = "inbox"
    verbose_name = "Việc của tôi"
