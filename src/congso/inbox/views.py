from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from . import services


@login_required
def mine(request):
    """Việc của tôi: what waits for the official, late first, then by due instant."""
    if not request.user.is_official:
        raise PermissionDenied
    total, items = services.items_for(request.user)
    now = timezone.now()
    rows = [(item, item.is_late(now)) for item in items]
    return render(request, "inbox/mine.html", {"total": total, "rows": rows, "now": now})
