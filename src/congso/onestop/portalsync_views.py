"""The administrator's page of the national-portal sync: the outbox (pending, sent, failed, the
last errors) and the reconciliation against what the portal holds."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from congso.accounts.permissions import may

from .models import PortalSyncMessage
from .portalsync import services
from .portalsync.base import SyncError
from .portalsync.registry import get_sync

PROBLEMS = {
    services.MISSING: _("Cổng chưa có hồ sơ"),
    services.BEHIND: _("Cổng giữ phiên bản cũ hơn"),
    services.STATUS: _("Trạng thái trên Cổng khác"),
    services.UNKNOWN: _("Cổng có, hệ thống không có"),
}


@login_required
def portal_sync(request):
    if not may(request.user, "onestop.portal_sync"):
        raise PermissionDenied(_("Bạn không có quyền truy cập chức năng này."))
    context = {
        "plugin": get_sync(),
        "counts": services.outbox_counts(),
        "failures": PortalSyncMessage.objects.exclude(last_error="").order_by("-pk")[:20],
        "refused": services.refused(),
        "problems": PROBLEMS,
    }
    if context["plugin"] is not None and request.GET.get("reconcile"):
        try:
            context["report"] = services.reconcile()
        except SyncError as exc:
            context["error"] = _("Không hỏi được Cổng Dịch vụ công quốc gia: %(error)s") % {
                "error": str(exc)[:200]
            }
    return render(request, "onestop/portal_sync.html", context)
