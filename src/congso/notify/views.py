"""The in-app inbox: a user's own notifications, newest first, with read marks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Notification

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
