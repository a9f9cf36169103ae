"""Document pages: list and search, drafting, registering incoming documents (upload, e-mail,
edXML), the document with its transitions, versions, status messages and comments, registers and
work files. A refused action is a Vietnamese message on the page; nothing is saved."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congso.accounts import permissions
from congso.accounts import services as accounts
from congso.core import downloads
from congso.core.forms import add_service_errors
from congso.core.params import as_id
from congso.org import services as org

from . import lifecycle, metadata, registers, search, services
from .api import file_response
from .forms import (
    CopyForm,
    ImportForm,
    IncomingForm,
    OutgoingForm,
    StatusImportForm,
    WorkFileForm,
)
from .models import Direction, DocumentType, WorkFile
from .page_views import text_pages

#: Rows of a register per page (a year of a province's incoming mail is tens of thousands).
REGISTER_PAGE = 50


def _visible(request, pk: int):
    document = services.visible_documents(request.user).select_related("unit").filter(pk=pk).first()
    if document is None:
        raise Http404(_("Không tìm thấy văn bản."))
    return document


def _messages(error: ValidationError) -> list[str]:
    return list(error.messages)


def _organs(request, permission: str):
    """Organs offered to the caller: those whose documents they read (oversight reaches the
    subtree), or, for any other permission, those they act for."""
    if permission == lifecycle.VIEW:
        organs = services.viewable_organs(request.user)
    else:
        organs = services.organs_for(request.user, permission)
    if not organs:  # read here once: a caller listing them reads no more (the queryset's rows)
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    return organs


@login_required
def document_list(request):
    _organs(request, lifecycle.VIEW)
    queryset = services.visible_documents(request.user).select_related("unit")
    found = search.search(queryset, request.GET)[:100]
    context = {
        "documents": found,
        "query": request.GET,
        "types": DocumentType.choices,
        "states": [*lifecycle.OutgoingState.choices, *lifecycle.IncomingState.choices],
        "units": services.viewable_organs(request.user),
    }
    return render(request, "documents/list.html", context)


@login_required
def create(request):
    organs = _organs(request, lifecycle.DRAFT)
    form = OutgoingForm(request.POST or None, request.FILES or None, organs=organs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = services.Draft(
            unit=data["unit"],
            doc_type=data["doc_type"],
            subject=data["subject"],
            body=data["body"],
            drafting_unit=data["drafting_unit"],
            signer=data["signer"],
            signer_position=data["signer_position"],
            urgency=data["urgency"],
            secrecy=data["secrecy"],
            recipient_units=list(data["recipient_units"]),
            recipient_groups=data["recipient_groups"],
            save_list_as=data["save_list_as"],
            external=form.external_recipients(),
        )
        try:
            document = services.create_outgoing(draft, actor=request.user, upload=data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo dự thảo văn bản."))
            return redirect("documents:detail", document.pk)
    return render(request, "documents/form.html", {"form": form, "title": _("Soạn văn bản đi")})


@login_required
def register(request):
    organs = _organs(request, lifecycle.REGISTER)
    posted = request.method == "POST"
    is_import = posted and request.POST.get("kind") in ("edxml", "eml")
    form = IncomingForm(
        request.POST if posted and not is_import else None,
        request.FILES if posted and not is_import else None,
        organs=organs,
    )
    import_form = ImportForm(
        request.POST if is_import else None, request.FILES if is_import else None, organs=organs
    )
    target = import_form if is_import else form
    if posted and target.is_valid():
        data = target.cleaned_data
        try:
            if is_import and data["kind"] == "edxml":
                document = services.import_package(
                    data["unit"], data["file"].read(), actor=request.user
                )
            elif is_import:
                document = services.register_email(
                    data["unit"], data["file"].read(), actor=request.user
                )
            else:
                arrival = services.Arrival(
                    unit=data["unit"],
                    doc_type=data["doc_type"],
                    subject=data["subject"],
                    author=data["author"],
                    notation=data["notation"],
                    issued_on=data["issued_on"],
                    urgency=data["urgency"],
                    secrecy=data["secrecy"],
                )
                services.refuse_secret(arrival.secrecy)
                document = services.register_upload(arrival, data["file"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(target, exc)
        else:
            messages.success(
                request,
                _("Đã vào sổ văn bản đến, số đến %(n)s.") % {"n": document.arrival_number or "—"},
            )
            return redirect("documents:detail", document.pk)
    return render(request, "documents/register.html", {"form": form, "import_form": import_form})


@login_required
def detail(request, pk: int):
    document = _visible(request, pk)
    return render(request, "documents/detail.html", _detail_context(request, document))


def _can_import_status(request, document) -> bool:
    """The form shows where a partner outside the platform can answer and the user is a clerk
    of the issuing organ; the service checks both again."""
    return (
        document.is_outgoing
        and document.state in (lifecycle.OutgoingState.ISSUED, lifecycle.OutgoingState.RECALLED)
        and document.recipients.filter(unit__isnull=True).exclude(agency_id="").exists()
        and permissions.acts_for(request.user, lifecycle.REGISTER, document.unit)
    )


def _detail_context(request, document, *, status_form=None) -> dict:
    machine = document.machine
    names = lifecycle.allowed(machine, document.state, user=request.user, organ=document.unit)
    if not document.recall_requested:  # agreeing to a recall nobody asked for is refused anyway
        names = [name for name in names if name != "agree_recall"]
    signer_method = _signer_method(request, document, names)
    may_sign = "sign" in names
    names = [name for name in names if name != "sign"]  # signed only from the signing panel
    labels = lifecycle.MACHINES[machine].labels
    primary, secondary, rare = lifecycle.arrange(names)
    if status_form is None and _can_import_status(request, document):
        status_form = StatusImportForm(prefix="status")
    return {
        "document": document,
        "transitions": names,
        "primary": [(n, labels[n]) for n in primary],
        "secondary": [(n, labels[n]) for n in secondary],
        "rare": [(n, labels[n]) for n in rare],
        "may_sign": may_sign,
        "versions": document.versions.order_by("-number"),
        "recipients": document.recipients.prefetch_related("statuses"),
        "comments": document.comments.select_related("author"),
        "units": org.units().filter(lifecycle.organ_units(document.unit)).order_by("path"),
        "officials": accounts.officials()
        .filter(positions__unit__in=org.units().filter(lifecycle.organ_units(document.unit)))
        .distinct(),
        "work_files": WorkFile.objects.filter(unit=document.unit),
        "can_add_version": document.is_outgoing
        and document.state in (lifecycle.OutgoingState.DRAFT, lifecycle.OutgoingState.IN_REVIEW)
        and permissions.acts_for(request.user, lifecycle.DRAFT, document.unit),
        "status_form": status_form,
        "signer_method": signer_method,
        **text_pages(document),
    }


def _signer_method(request, document, names) -> dict | None:
    """Which way the official will sign, shown before signing (desk token, remote service);
    None when the official has no personal certificate or may not sign now."""
    from congso.signing.services import personal_certificate, signing_method

    if "sign" not in names:
        return None
    certificate = personal_certificate(request.user)
    if certificate is None:
        return None
    identifier, label = signing_method(certificate)
    return {"identifier": identifier, "label": label, "certificate": certificate}


def _transition_options(request) -> dict:
    post = request.POST
    options = {"comment": post.get("comment", "").strip()}
    units = org.units()
    if post.get("lead_unit", "").isdigit():
        options["lead_unit"] = units.filter(pk=post["lead_unit"]).first()
    if post.get("lead_user", "").isdigit():
        options["lead_user"] = accounts.officials().filter(pk=post["lead_user"]).first()
    options["coordinators"] = list(
        units.filter(pk__in=[v for v in post.getlist("coordinators") if v.isdigit()])
    )
    days = post.get("due_days", "")
    if days.isdigit() and 0 < int(days) <= 90:
        options["due_days"] = int(days)
    return options


@login_required
@require_POST
def transition(request, pk: int):
    document = _visible(request, pk)
    revision = request.POST.get("revision", "")
    try:
        outcome = services.advance(
            document,
            request.POST.get("transition", ""),
            actor=request.user,
            revision=int(revision) if revision.isdigit() else None,
            **_transition_options(request),
        )
    except services.Conflict as exc:
        messages.error(request, str(exc))
    except (ValidationError, PermissionDenied) as exc:
        for message in _messages(exc) if isinstance(exc, ValidationError) else [str(exc)]:
            messages.error(request, message)
    else:
        messages.success(request, outcome.message)
    return redirect("documents:detail", document.pk)


@login_required
@require_POST
def add_version(request, pk: int):
    document = _visible(request, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Cần chọn tệp để tải lên."))
        if document.is_outgoing:
            services.add_version(document, upload, actor=request.user)
        else:
            services.attach(document, upload, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in _messages(exc) if isinstance(exc, ValidationError) else [str(exc)]:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã tải lên tệp mới."))
    return redirect("documents:detail", document.pk)


@login_required
@require_POST
def import_status(request, pk: int):
    """The clerk brings in a partner's status message; a refusal is shown at the field with the
    page as it was, nothing recorded."""
    document = _visible(request, pk)
    if not permissions.acts_for(request.user, lifecycle.REGISTER, document.unit):
        raise PermissionDenied(_("Bạn không có quyền nhập thông điệp trạng thái của văn bản này."))
    form = StatusImportForm(request.POST, request.FILES, prefix="status")
    if form.is_valid():
        data = form.cleaned_data["file"].read(services.STATUS_MAX_BYTES + 1)
        try:
            entry = services.import_status(data, actor=request.user, document=document)
        except ValidationError as exc:
            for message in _messages(exc):
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _("Đã nhập trạng thái %(code)s của %(organ)s.")
                % {"code": entry.code, "organ": entry.recipient.name},
            )
            return redirect("documents:detail", document.pk)
    context = _detail_context(request, document, status_form=form)
    return render(request, "documents/detail.html", context)


@login_required
@require_POST
def comment(request, pk: int):
    document = _visible(request, pk)
    try:
        services.add_comment(document, request.POST.get("text", ""), actor=request.user)
    except ValidationError as exc:
        for message in _messages(exc):
            messages.error(request, message)
    return redirect("documents:detail", document.pk)


@login_required
@require_POST
def file_into(request, pk: int):
    document = _visible(request, pk)
    value = request.POST.get("work_file", "")
    work_file = WorkFile.objects.filter(pk=value).first() if value.isdigit() else None
    try:
        services.file_document(document, work_file, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in _messages(exc) if isinstance(exc, ValidationError) else [str(exc)]:
            messages.error(request, message)
    return redirect("documents:detail", document.pk)


@login_required
def download(request, pk: int, number: int):
    version = _visible(request, pk).versions.filter(number=number).first()
    if version is None:
        raise Http404(_("Không tìm thấy tệp."))
    return file_response(version, inline=request.GET.get("download") != "1")


@login_required
@require_http_methods(["GET", "POST"])
def copies(request, pk: int):
    """The copies of an issued document, and the clerk's form to make one (SAO Y, SAO LỤC,
    TRÍCH SAO): only who issues for the organ may copy."""
    from . import copies as copying

    document = _visible(request, pk)
    may_copy = permissions.acts_for(request.user, lifecycle.ISSUE, document.unit)
    form, status = CopyForm(initial=_copy_signer(request.user)), 200
    if request.method == "POST":
        if not may_copy:
            raise PermissionDenied(_("Bạn không có quyền sao văn bản này."))
        form = CopyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            wanted = copying.CopyRequest(
                kind=data["kind"],
                signer_name=data["signer_name"],
                signer_title=data["signer_title"],
                recipients=data["recipients"].splitlines(),
                pages=data["pages"],
            )
            try:
                made = copying.make_copy(document, request.user, wanted)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã sao văn bản: %(n)s.") % {"n": made.notation})
                return redirect("documents:copies", document.pk)
        status = 400
    context = {
        "document": document,
        "copies": document.certified_copies.select_related("signed_file", "created_by"),
        "form": form if may_copy else None,
    }
    return render(request, "documents/copies.html", context, status=status)


def _copy_signer(user) -> dict:
    position = user.positions.first()
    return {"signer_name": user.get_full_name(), "signer_title": position.title if position else ""}


@login_required
def copy_file(request, pk: int, copy: int):
    made = (
        _visible(request, pk).certified_copies.select_related("signed_file").filter(pk=copy).first()
    )
    if made is None:
        raise Http404(_("Không tìm thấy bản sao."))
    stored = made.signed_file
    with stored.file.open("rb") as handle:
        data = handle.read()
    response = downloads.download(
        data, "application/pdf", stored.name, inline=request.GET.get("download") != "1"
    )
    response["X-Content-SHA256"] = stored.sha256
    return response


@login_required
def package(request, pk: int, recipient: int):
    row = _visible(request, pk).recipients.filter(pk=recipient).exclude(package="").first()
    if row is None:
        raise Http404(_("Không tìm thấy gói tin."))
    with row.package.open("rb") as handle:
        return downloads.download(handle.read(), "application/xml", f"{pk}-{recipient}.edxml")


def _export(fields: dict, kind: str, name: str, root: str) -> HttpResponse:
    if kind == "xml":
        return downloads.download(metadata.to_xml(fields, root), "application/xml", f"{name}.xml")
    return downloads.download(metadata.to_json(fields), "application/json", f"{name}.json")


@login_required
def document_metadata(request, pk: int):
    kind = "xml" if request.GET.get("format") == "xml" else "json"
    fields = metadata.document_fields(_visible(request, pk))
    return _export(fields, kind, f"van-ban-{pk}", "Document")


def _year(request) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return timezone.localdate().year


@login_required
def register_page(request):
    organs = list(_organs(request, lifecycle.VIEW))  # the choice and the list: rows read once
    unit_id = as_id(request.GET.get("unit"))
    unit = next((o for o in organs if o.pk == unit_id), None) if unit_id else organs[0]
    if unit is None:
        raise Http404(_("Không tìm thấy sổ văn bản."))
    direction = request.GET.get("direction", Direction.INCOMING)
    if direction not in Direction.values:
        direction = Direction.INCOMING
    year = _year(request)
    kind = request.GET.get("format", "")
    if kind in ("pdf", "xlsx"):  # built by a worker; its page shows the progress, then the file
        export = registers.start_export(request.user, unit, year, direction, kind)
        return redirect("exports:export", pk=export.pk)
    context = {
        "unit": unit,
        "units": organs,
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "direction": direction,
        "title": registers.TITLES[direction],
        "columns": registers.columns(direction),
    }
    page = Paginator(registers.documents(unit, year, direction), REGISTER_PAGE).get_page(
        request.GET.get("page")
    )
    context["page"] = page
    context["rows"] = registers.rows(unit, year, direction, page.object_list)
    return render(request, "documents/registers.html", context)


@login_required
def work_files(request):
    organs = _organs(request, lifecycle.VIEW)
    form = WorkFileForm(
        request.POST or None,
        organs=services.organs_for(request.user, lifecycle.REGISTER),
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.create_work_file(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                add_service_errors(form, exc)
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lập hồ sơ công việc."))
            return redirect("documents:work_files")
    files = WorkFile.objects.filter(unit__in=organs).select_related("unit")
    return render(request, "documents/work_files.html", {"files": files, "form": form})


@login_required
def work_file_metadata(request, pk: int):
    organs = _organs(request, lifecycle.VIEW)
    work_file = WorkFile.objects.filter(unit__in=organs, pk=pk).first()
    if work_file is None:
        raise Http404(_("Không tìm thấy hồ sơ công việc."))
    kind = "xml" if request.GET.get("format") == "xml" else "json"
    return _export(metadata.work_file_fields(work_file), kind, f"ho-so-{pk}", "WorkFile")
