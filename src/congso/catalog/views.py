"""Public catalogue pages (search, detail, printable form) and the manage pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.permissions import may
from congso.core import ratelimit
from congso.core.downloads import PDF, XLSX, download

from . import page_cache, services
from .declaration import render_pdf
from .exchange import ImportFailed
from .forms import ImportForm, ProcedureForm, SearchForm, VersionEditor
from .models import Procedure, ProcedureVersion, versions_in_force

PAGE_SIZE = 20


def _not_found(request, message: str):
    return render(
        request,
        "core/error.html",
        {"title": _("Không tìm thấy thủ tục"), "message": message},
        status=404,
    )


def _attach_versions(procedures) -> None:
    """Give each procedure of a page its version in force (one query for the page)."""
    ids = [p.pk for p in procedures]
    versions = (
        ProcedureVersion.objects.filter(procedure_id__in=ids)
        .filter(versions_in_force())
        .prefetch_related("channels")
        .order_by("procedure_id", "-valid_from")
    )
    current = {}
    for version in versions:
        current.setdefault(version.procedure_id, version)
    for procedure in procedures:
        procedure.version = current.get(procedure.pk)


def search_allowed(request) -> bool:
    """A ranked full-text search costs the database: ``CONGSO_SEARCH_RATE`` per client address
    and account, page and API together. Browsing without a query is not counted."""
    return ratelimit.allow_request(request, "search", settings.CONGSO_SEARCH_RATE)


def too_many_searches() -> str:
    return _("Bạn đã tìm kiếm quá nhiều lần; vui lòng thử lại sau ít phút.")


def search(request):
    form = SearchForm(request.GET or None)
    if form.query() and not search_allowed(request):
        form.add_error(None, too_many_searches())
        page = Paginator(Procedure.objects.none(), PAGE_SIZE).get_page(1)
        context = {"form": form, "page": page, "query": form.query()}
        return render(request, "catalog/search.html", context, status=429)
    results = services.search(form.query(), form.filters())
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    _attach_versions(page.object_list)
    return render(
        request, "catalog/search.html", {"form": form, "page": page, "query": form.query()}
    )


def _public_procedure(code: str):
    return Procedure.objects.filter(code=code, is_active=True).select_related("sector").first()


class _NotPublished(Exception):
    """No public page for this code; the message says why."""


def detail(request, code: str):
    """The public page of a procedure: its body comes from ``page_cache`` (no query on a hit)."""
    try:
        page = page_cache.page(code, lambda: _render_detail(code))
    except _NotPublished as missing:
        return _not_found(request, str(missing))
    return render(request, "catalog/detail.html", page)


def _render_detail(code: str) -> tuple[str, str]:
    """The page's title and body (the same for every visitor)."""
    procedure = _public_procedure(code)
    if procedure is None:
        raise _NotPublished(_("Không có thủ tục mã “%(code)s” trong danh mục.") % {"code": code})
    version = procedure.current_version()
    if version is None:
        raise _NotPublished(
            _("Thủ tục mã “%(code)s” chưa có quy định đang áp dụng.") % {"code": code}
        )
    upcoming = procedure.versions.filter(valid_from__gt=timezone.localdate())
    body = render_to_string(
        "catalog/_detail_body.html",
        {
            "procedure": procedure,
            "version": version,
            "channels": version.channels.all(),
            "documents": version.documents.all(),
            "steps": version.steps.all(),
            "upcoming": upcoming.order_by("valid_from").first(),
            "units": services.offering_units(procedure),
        },
    )
    return procedure.name, body


def form_template(request, code: str):
    """The declaration form of the version in force, as a printable PDF."""
    procedure = _public_procedure(code)
    version = procedure.current_version() if procedure else None
    if version is None or not version.has_form:
        return _not_found(
            request, _("Thủ tục mã “%(code)s” không có mẫu tờ khai để tải.") % {"code": code}
        )
    return download(render_pdf(procedure, version), PDF, f"to-khai-{procedure.code}.pdf")


# --- Manage ----------------------------------------------------------------------------------


def _require_manager(request) -> None:
    if not may(request.user, "catalog.manage"):
        raise PermissionDenied


@login_required
def manage(request):
    _require_manager(request)
    form = SearchForm(request.GET or None)
    results = services.search(form.query(), form.filters(), include_inactive=True)
    page = Paginator(results, 50).get_page(request.GET.get("page"))
    _attach_versions(page.object_list)
    return render(
        request,
        "catalog/manage/list.html",
        {"form": form, "page": page, "import_form": ImportForm()},
    )


@login_required
def manage_create(request):
    _require_manager(request)
    data = request.POST if request.method == "POST" else None
    form = ProcedureForm(data)
    editor = VersionEditor(data, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and editor.is_valid():
        try:
            procedure = services.create_procedure(
                code=form.cleaned_data["code"],
                units=form.cleaned_data["units"],
                version=editor.content(),
                **form.identity(),
            )
        except ValidationError as exc:
            editor.add_errors(exc)
        else:
            messages.success(request, _("Đã thêm thủ tục %(code)s.") % {"code": procedure.code})
            return redirect("catalog:manage")
    return render(request, "catalog/manage/create.html", {"form": form, "editor": editor})


@login_required
def manage_edit(request, code: str):
    _require_manager(request)
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        return _not_found(request, _("Không có thủ tục mã “%(code)s”.") % {"code": code})
    form = ProcedureForm(request.POST or None, instance=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_procedure(
                procedure, units=form.cleaned_data["units"], **form.identity()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu thủ tục %(code)s.") % {"code": code})
            return redirect("catalog:manage")
    versions = procedure.versions.order_by("-number")
    return render(
        request,
        "catalog/manage/edit.html",
        {"form": form, "procedure": procedure, "versions": versions},
    )


@login_required
def manage_publish(request, code: str):
    _require_manager(request)
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        return _not_found(request, _("Không có thủ tục mã “%(code)s”.") % {"code": code})
    latest = services.latest_version(procedure)
    initial = services.version_content(latest) if latest else {}
    initial.update(valid_from=timezone.localdate(), change_note="")
    data = request.POST if request.method == "POST" else None
    editor = VersionEditor(data, initial=initial)
    if request.method == "POST" and editor.is_valid():
        try:
            version = services.publish_version(procedure, editor.content())
        except ValidationError as exc:
            editor.add_errors(exc)
        else:
            messages.success(
                request,
                _("Đã công bố phiên bản %(n)s của thủ tục %(code)s, áp dụng từ %(date)s.")
                % {
                    "n": version.number,
                    "code": code,
                    "date": version.valid_from.strftime("%d/%m/%Y"),
                },
            )
            return redirect("catalog:manage")
    return render(
        request,
        "catalog/manage/publish.html",
        {"procedure": procedure, "editor": editor, "latest": latest},
    )


@login_required
@require_POST
def manage_import(request):
    _require_manager(request)
    form = ImportForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.import_catalog(upload.read(), upload.name)
        except ImportFailed as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _(
                    "Đã nhập danh mục: %(created)s thủ tục mới, %(updated)s thủ tục cập nhật, "
                    "%(versions)s phiên bản công bố, %(unchanged)s không đổi."
                )
                % {
                    "created": report.procedures_created,
                    "updated": report.procedures_updated,
                    "versions": report.versions_published,
                    "unchanged": report.unchanged,
                },
            )
            return redirect("catalog:manage")
    return render(
        request,
        "catalog/manage/import_errors.html",
        {"import_form": form, "errors": errors},
        status=400,
    )


@login_required
def manage_export(request, kind: str):
    _require_manager(request)
    if kind not in ("json", "xlsx"):
        return _not_found(request, _("Chỉ xuất được tệp .json hoặc .xlsx."))
    content_type = "application/json" if kind == "json" else XLSX
    stamp = timezone.localdate().strftime("%Y%m%d")
    return download(services.export_catalog(kind), content_type, f"danh-muc-thu-tuc-{stamp}.{kind}")
