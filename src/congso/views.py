"""The project's own pages: the error handlers (``urls.handler*``) and the audit log.

They sit on top, beside ``urls``, because they need both the API's error format and who may read
what (``accounts``); ``core`` below them stays free of both.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from congso.accounts.permissions import acting_units, may
from congso.api import errors
from congso.core.downloads import stored
from congso.core.models import AuditRecord, Export

#: The API error code of each status the project's handlers answer.
API_CODES = {400: "invalid", 403: "permission_denied", 404: "not_found", 500: "server_error"}


def _error(request, status, title, message):
    """The error page; under /api/ the same answer in the API's one error format."""
    if request.path.startswith("/api/"):
        return JsonResponse(errors.error_body(API_CODES[status], message), status=status)
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(
        request,
        400,
        _("Yêu cầu không hợp lệ"),
        _("Yêu cầu gửi lên không đúng định dạng. Vui lòng kiểm tra và thử lại."),
    )


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        _("Không có quyền truy cập"),
        _("Tài khoản của bạn không có quyền thực hiện thao tác này."),
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        _("Không tìm thấy trang"),
        _("Trang bạn tìm không tồn tại hoặc đã được chuyển đi."),
    )


def server_error(request):
    return _error(
        request,
        500,
        _("Hệ thống gặp sự cố"),
        _("Đã có lỗi xảy ra. Quản trị viên đã được ghi nhận; vui lòng thử lại sau."),
    )


@login_required
def audit_log(request):
    """The audit log, scoped: a unit administrator reads their units' records only."""
    if not may(request.user, "core.read_audit"):
        raise PermissionDenied
    records = AuditRecord.objects.order_by("-id")
    if not request.user.is_superuser:
        units = acting_units(request.user, "core.read_audit").values_list("id", flat=True)
        records = records.filter(unit_id__in=list(units))
    action = request.GET.get("action", "").replace("\x00", "").strip()[:100]
    if action:
        records = records.filter(action__startswith=action)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "action": action})


def _own_export(request, pk: int) -> Export:
    """The caller's export ``pk``; another official's is as unknown as a missing one."""
    return get_object_or_404(Export, pk=pk, owner=request.user)


@login_required
def export_page(request, pk: int):
    """An export built in the background (``core.exports``): its progress while it is built
    (the page reloads itself every few seconds), the file when it is ready."""
    export = _own_export(request, pk)
    return render(request, "core/export.html", {"export": export})


@login_required
def export_file(request, pk: int):
    export = _own_export(request, pk)
    if export.state != Export.State.READY:
        raise Http404(_("Tệp chưa lập xong."))
    return stored(export.file, export.filename)
