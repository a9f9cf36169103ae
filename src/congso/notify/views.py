"""The in-app inbox: a user's own notifications, newest first, with read marks."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import services, work
from .models import Notification, Preference

PAGE_SIZE = 20


def _back_to_inbox(request):
    page = request.POST.get("page", "")
    url = reverse("notify:inbox")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
def inbox(request):
    rows = Notification.objects.inbox_of(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/inbox.html",
        {"page": page, "unread": services.unread_count(request.user)},
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    """Mark read; with ``open`` also go to what the notification is about."""
    row = services.mark_read(request.user, pk)
    if request.POST.get("open") and row.url:
        return redirect(row.url)
    return _back_to_inbox(request)


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return _back_to_inbox(request)


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email", "sms_urgent", "due_reminders", "digest"]


class CitizenPreferenceForm(forms.ModelForm):
    """A citizen chooses how they hear about their dossiers (``citizens.channels_for``)."""

    class Meta:
        model = Preference
        fields = ["email", "sms_urgent"]
        labels = {
            "email": gettext_lazy("nhận thư điện tử mỗi khi hồ sơ của tôi chuyển bước"),
            "sms_urgent": gettext_lazy(
                "nhận tin nhắn SMS khi cần bổ sung hồ sơ, khi có kết quả và khi hồ sơ trễ hẹn"
            ),
        }


@login_required
def preferences(request):
    """Each user chooses how they are told: an official about work, a citizen about their
    dossiers; in-app notices always arrive."""
    official = request.user.is_official
    form_class = PreferenceForm if official else CitizenPreferenceForm
    form = form_class(request.POST or None, instance=work.preference_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.save_preference(request.user, form.instance)
        messages.success(request, _("Đã lưu tuỳ chọn thông báo."))
        return redirect("notify:preferences")
    return render(request, "notify/preferences.html", {"form": form, "official": official})
