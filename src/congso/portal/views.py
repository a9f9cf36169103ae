"""The citizen's pages: find a procedure, file online step by step, follow and receive.

The filing pages follow GOV.UK's patterns: a start page, one question group per page, an error
summary at the top linked to the fields, a "check your answers" page with "change" links. Every
step saves the draft on the server, so the citizen can continue on another device.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from congso.accounts import eid
from congso.catalog import services as catalog
from congso.catalog.services import popular_procedures
from congso.core import ratelimit
from congso.core.collation import by_vietnamese
from congso.core.middleware import client_ip
from congso.onestop import services as onestop
from congso.onestop.choices import ResultDelivery
from congso.onestop.lifecycle import NATIONAL_CODE, State

from . import declaration_form, services
from .models import StoredDocument


def home(request):
    """The citizen's front door: search, the procedures most used, and the sectors."""
    sectors = (
        catalog.sectors()
        .annotate(count=Count("procedures", filter=Q(procedures__is_active=True)))
        .filter(count__gt=0)
        .order_by(by_vietnamese("name"))
    )
    return render(
        request, "portal/home.html", {"popular": popular_procedures(), "sectors": sectors}
    )


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {"__all__": exc.messages}


# --- Filing online -------------------------------------------------------------------------


def start(request, code: str):
    """The start page: what the citizen needs and what happens, then "Start now"."""
    procedure = get_object_or_404(
        catalog.procedures().select_related("sector"), code=code, is_active=True
    )
    version = procedure.current_version()
    if version is None:
        raise Http404(_("Thủ tục chưa có quy định đang áp dụng."))
    online = services.offered_online(procedure)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if not online:
            raise Http404(_("Thủ tục này chưa nhận hồ sơ trực tuyến."))
        refusal = eid.filing_refusal(request)
        if refusal:
            messages.error(request, refusal)
            return redirect(request.path)
        draft = services.start_draft(request.user, procedure)
        return redirect("portal:draft_unit", draft.public_id)
    terms = next((c for c in version.channels.all() if c.channel == "online"), None)
    return render(
        request,
        "portal/start.html",
        {
            "procedure": procedure,
            "version": version,
            "online": online,
            "terms": terms,
            "documents": [d for d in version.documents.all() if not d.is_declaration],
        },
    )


def _steps(draft, version) -> list[tuple[str, str]]:
    """The pages of this draft, for the progress line and the "change" links."""
    pages = [(reverse("portal:draft_unit", args=[draft.public_id]), _("Nơi nộp hồ sơ"))]
    for group in declaration_form.groups(version.form_schema or {}):
        pages.append(
            (reverse("portal:draft_form", args=[draft.public_id, group.index]), group.title)
        )
    pages.append((reverse("portal:draft_documents", args=[draft.public_id]), _("Giấy tờ")))
    pages.append((reverse("portal:draft_delivery", args=[draft.public_id]), _("Nhận kết quả")))
    pages.append((reverse("portal:draft_check", args=[draft.public_id]), _("Kiểm tra")))
    return pages


def _next_after(draft, version, current_url: str, request) -> str:
    if request.POST.get("back_to_check"):
        return reverse("portal:draft_check", args=[draft.public_id])
    urls = [u for u, _label in _steps(draft, version)]
    index = urls.index(current_url)
    return urls[min(index + 1, len(urls) - 1)]


def _draft_context(draft, version, **extra) -> dict:
    return {"draft": draft, "procedure": draft.procedure, "version": version, **extra}


@login_required
def draft_unit(request, draft_id):
    draft = services.own_draft(request.user, draft_id)
    version = services.version_of(draft)
    units = catalog.offering_units(draft.procedure).order_by(by_vietnamese("name"))
    errors = {}
    if request.method == "POST":
        try:
            services.set_unit(draft, request.POST.get("unit", ""))
            return redirect(_next_after(draft, version, request.path, request))
        except ValidationError as exc:
            if request.POST.get("save_draft"):
                return redirect("portal:my_dossiers")  # nothing chosen yet: nothing to keep
            errors = _messages(exc)
    return render(
        request,
        "portal/draft_unit.html",
        _draft_context(draft, version, units=units, errors=errors, back=request.GET.get("back")),
    )


@login_required
def draft_form(request, draft_id, group: int):
    draft = services.own_draft(request.user, draft_id)
    version = services.version_of(draft)
    schema = version.form_schema or {}
    pages = declaration_form.groups(schema, draft.answers)
    if group >= len(pages):
        raise Http404(_("Không có trang này của tờ khai."))
    page = pages[group]
    errors = {}
    if request.method == "POST" and request.POST.get("save_draft"):
        services.save_draft_group(draft, group, request.POST)
        return redirect("portal:my_dossiers")
    if request.method == "POST":
        errors = services.save_group(draft, group, request.POST)
        if not errors:
            return redirect(_next_after(draft, version, request.path, request))
        answers = declaration_form.read_group(schema, page, request.POST, draft.answers)
        page = declaration_form.groups(schema, answers)[group]
        declaration_form.attach_errors(page, errors)
    return render(
        request,
        "portal/draft_form.html",
        _draft_context(
            draft,
            version,
            page=page,
            total=len(pages),
            errors=errors,
            back=request.GET.get("back"),
        ),
    )


@login_required
def draft_documents(request, draft_id):
    """One form for the whole page: every file chosen is uploaded with whichever button is
    pressed, so nothing chosen is lost by pressing "Lưu và tiếp tục" or "Lưu nháp"."""
    draft = services.own_draft(request.user, draft_id)
    version = services.version_of(draft)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        errors = _documents_post(draft, request)
        if not errors:
            if request.POST.get("save_draft"):
                return redirect("portal:my_dossiers")
            if request.POST.get("continue"):
                missing = services.problems(draft).get("documents")
                if not missing:
                    return redirect(_next_after(draft, version, request.path, request))
                errors["documents"] = missing
            else:
                return redirect(request.path)
    attached = {d.required_document_id: d for d in draft.documents.select_related("stored")}
    waived = services.waived_documents(draft)
    rows = [
        {
            "doc": d,
            "attached": attached.get(d.pk),
            "waived": d.pk in waived,
            "errors": errors.get(f"doc-{d.pk}", []),
        }
        for d in version.documents.all()
        if not d.is_declaration
    ]
    summary = [(f"#doc-{r['doc'].pk}", m) for r in rows for m in r["errors"]] + [
        ("#documents", m) for m in errors.get("documents", [])
    ]
    return render(
        request,
        "portal/draft_documents.html",
        _draft_context(
            draft,
            version,
            rows=rows,
            summary=summary,
            errors=errors,
            store=StoredDocument.objects.filter(owner=request.user),
        ),
    )


def _documents_post(draft, request) -> dict[str, list[str]]:
    """Apply what the documents page sent: a removal, a reuse from the data store, and every
    chosen file (``file-<id>``; ``document`` + ``file`` from older clients). Errors by document."""
    post, errors = request.POST, {}
    steps = []
    if post.get("document"):  # an older client: one document per request, as it was
        steps.append((post["document"], lambda pk: _legacy_document(draft, request, pk)))
    elif post.get("remove"):
        steps.append((post["remove"], lambda pk: services.remove_document(draft, pk)))
    if post.get("use_stored"):
        pk = post["use_stored"]
        steps.append((pk, lambda pk: services.attach_stored(draft, pk, post.get(f"stored-{pk}"))))
    for key, upload in request.FILES.items() if not post.get("document") else ():
        if key.startswith("file-"):
            pk = key.removeprefix("file-")
            steps.append((pk, lambda pk, upload=upload: services.attach_upload(draft, pk, upload)))
    for pk, step in steps:
        try:
            step(pk)
        except ValidationError as exc:
            errors[f"doc-{pk}"] = exc.messages
    return errors


def _legacy_document(draft, request, required_id) -> None:
    post = request.POST
    if post.get("remove"):
        services.remove_document(draft, required_id)
    elif post.get("stored"):
        services.attach_stored(draft, required_id, post["stored"])
    elif not post.get("continue") and not post.get("save_draft"):
        services.attach_upload(draft, required_id, request.FILES.get("file"))


@login_required
def draft_delivery(request, draft_id):
    draft = services.own_draft(request.user, draft_id)
    version = services.version_of(draft)
    errors = {}
    if request.method == "POST" and request.POST.get("save_draft"):
        _keep_delivery(draft, request.POST)
        return redirect("portal:my_dossiers")
    if request.method == "POST":
        try:
            if services.fee_inputs(draft):
                services.set_fee_inputs(
                    draft, request.POST.get("copies", ""), request.POST.get("pages", "0") or "0"
                )
            services.set_delivery(draft, request.POST.get("result_delivery", ""))
            return redirect(_next_after(draft, version, request.path, request))
        except ValidationError as exc:
            errors = _messages(exc)
    return render(
        request,
        "portal/draft_delivery.html",
        _draft_context(
            draft,
            version,
            choices=ResultDelivery.choices,
            fee_inputs=services.fee_inputs(draft),
            errors=errors,
        ),
    )


def _keep_delivery(draft, post) -> None:
    """ "Lưu nháp" on the delivery page: keep each answer that is valid, drop the others."""
    for keep in (
        lambda: services.set_delivery(draft, post.get("result_delivery", "")),
        lambda: services.set_fee_inputs(draft, post.get("copies", ""), post.get("pages", "0")),
    ):
        try:
            keep()
        except ValidationError:
            continue


def _answer_rows(draft, version) -> list[dict]:
    rows = []
    for group in declaration_form.groups(version.form_schema or {}, draft.answers):
        change = reverse("portal:draft_form", args=[draft.public_id, group.index])
        for item in group.fields:
            value = declaration_form.display_value(item)
            label = f"{item.row}: {item.label}" if item.row else item.label
            rows.append({"group": group.title, "label": label, "value": value, "change": change})
    return rows


@login_required
def draft_check(request, draft_id):
    draft = services.own_draft(request.user, draft_id)
    version = services.version_of(draft)
    errors = {}
    refusal = eid.filing_refusal(request) if request.method == "POST" else ""
    if refusal:
        messages.error(request, refusal)
        return redirect(request.path)
    if request.method == "POST":
        try:
            dossier = services.submit(draft)
            return redirect("portal:filed", dossier.code)
        except ValidationError as exc:
            errors = _messages(exc)
    fee = services.fee(draft) if any(c.channel == "online" for c in version.channels.all()) else 0
    return render(
        request,
        "portal/draft_check.html",
        _draft_context(
            draft,
            version,
            rows=_answer_rows(draft, version),
            documents=draft.documents.select_related("required_document", "stored"),
            fee=fee,
            errors=errors,
            problems=services.problems(draft),
        ),
    )


@login_required
def draft_discard(request, draft_id):
    draft = services.own_draft(request.user, draft_id)
    if request.method == "POST":
        services.discard_draft(draft)
        return redirect("portal:my_dossiers")
    return render(request, "portal/draft_discard.html", {"draft": draft})


@login_required
def filed(request, code: str):
    dossier = services.own_dossier(request.user, code)
    return render(request, "portal/filed.html", {"dossier": dossier})


# --- Following -----------------------------------------------------------------------------


def _payment_status(dossier) -> str:
    try:
        from congso.payments.services import status_for
    except ImportError:
        return "none"
    return status_for(dossier)


def _payment(dossier) -> dict:
    """Paid / unpaid / refunded in words, and the receipt to download (the fee row's text)."""
    try:
        from congso.payments import services as payments
    except ImportError:
        return {"status": "none", "label": "", "receipt": None}
    status = payments.status_for(dossier)
    return {
        "status": status,
        "label": payments.status_label(status),
        "receipt": payments.receipt_of(dossier),
    }


@login_required
def my_dossiers(request):
    dossiers = list(services.own_dossiers(request.user)[:100])
    for dossier in dossiers:
        dossier.payment_status = _payment_status(dossier)
    drafts = request.user.portal_drafts.select_related("procedure")
    return render(request, "portal/my_dossiers.html", {"dossiers": dossiers, "drafts": drafts})


@login_required
def dossier(request, code: str):
    item = services.own_dossier(request.user, code)
    errors = {}
    if request.method == "POST":
        try:
            services.answer_supplement(
                item, request.user, request.FILES.getlist("files"), request.POST.get("note", "")
            )
            return redirect("portal:dossier", item.code)
        except ValidationError as exc:
            errors = _messages(exc)
        except (PermissionDenied, onestop.Conflict) as exc:
            errors = {"files": [str(exc)]}
    allowed = {t.name for t in onestop.allowed_transitions(request.user, item)}
    return render(
        request,
        "portal/dossier.html",
        {
            "dossier": item,
            "events": [
                {
                    "event": e,
                    "state": State(e.to_state).label,
                    "national": NATIONAL_CODE[e.to_state],
                }
                for e in item.events.all()
            ],
            "documents": item.documents.all(),
            "supplement": item.supplements.filter(answered_at__isnull=True).last()
            if "supplement" in allowed
            else None,
            "can_withdraw": "withdraw" in allowed,
            "result_ready": services.result_available(item),
            "payment_status": _payment_status(item),
            "payment": _payment(item),
            "errors": errors,
        },
    )


@login_required
def withdraw(request, code: str):
    item = services.own_dossier(request.user, code)
    errors = {}
    if request.method == "POST":
        try:
            services.withdraw(item, request.user, request.POST.get("note", ""))
            return redirect("portal:dossier", item.code)
        except ValidationError as exc:
            errors = _messages(exc)
        except (PermissionDenied, onestop.Conflict) as exc:
            errors = {"note": [str(exc)]}
    return render(request, "portal/withdraw.html", {"dossier": item, "errors": errors})


@login_required
def result_file(request, code: str):
    item = services.own_dossier(request.user, code)
    if not services.result_available(item):
        raise Http404(_("Hồ sơ chưa có kết quả để tải."))
    source, _sha256 = services.result_document(item.result)
    return FileResponse(
        source.open("rb"),
        as_attachment=True,
        filename=f"{item.code}-ket-qua.pdf",
        content_type="application/pdf",
    )


@login_required
def datastore(request):
    items = StoredDocument.objects.filter(owner=request.user)
    return render(request, "portal/datastore.html", {"items": items})


@login_required
def datastore_file(request, item_id):
    item = services.own_stored(request.user, item_id)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=f"{item.public_id}.pdf",
        content_type=item.content_type,
    )


@login_required
def profile(request):
    return render(request, "portal/profile.html", {"person": request.user})


# --- Public lookup -------------------------------------------------------------------------


def lookup(request):
    """Status of a dossier for whoever holds its code and the applicant's ID number or phone;
    nothing personal is shown and an unknown code looks like a wrong ID."""
    code = (request.GET.get("code") or "").strip().upper()
    secret = (request.GET.get("id_number") or "").strip()
    found, errors, status = None, {}, 200
    if "id_number" in request.GET:
        if not ratelimit.allow_request(request, "lookup", settings.CONGSO_LOOKUP_RATE):
            errors["__all__"] = [_("Bạn đã tra cứu quá nhiều lần; vui lòng thử lại sau ít phút.")]
            status = 429
        else:
            if not code:
                errors["code"] = [_("Nhập mã hồ sơ.")]
            if not secret:
                errors["id_number"] = [_("Nhập số định danh cá nhân hoặc số điện thoại.")]
            if not errors:
                found = onestop.public_status(code[:40], secret[:20])
                if found is None:
                    errors["__all__"] = [_("Không tìm thấy hồ sơ với mã và số giấy tờ đã nhập.")]
    return render(
        request,
        "portal/lookup.html",
        {"code": code, "found": found, "errors": errors},
        status=status,
    )


# --- Registration ----------------------------------------------------------------------------


def _registration_allowed(request) -> bool:
    """Each registration step hashes passwords or codes and may send a message: limited per
    client address (codes are also limited per address and per pending registration)."""
    return ratelimit.allow_request(request, "register", settings.CONGSO_REGISTER_RATE)


def _too_many_registrations() -> str:
    return _("Bạn đã thao tác đăng ký quá nhiều lần; vui lòng thử lại sau.")


def register(request):
    from . import registration

    errors, values = {}, {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("full_name", "id_number", "contact")}
        if not _registration_allowed(request):
            errors = {"__all__": [_too_many_registrations()]}
            context = {"errors": errors, "values": values}
            return render(request, "portal/register.html", context, status=429)
        try:
            pending = registration.start(
                **values,
                password=request.POST.get("password", ""),
                password2=request.POST.get("password2", ""),
                client=client_ip(request),
            )
            return redirect("portal:register_confirm", pending.public_id)
        except ValidationError as exc:
            errors = _messages(exc)
        except registration.TooMany as exc:
            errors = {"__all__": [str(exc)]}
    return render(request, "portal/register.html", {"errors": errors, "values": values})


def register_confirm(request, pending_id):
    from django.contrib.auth import login

    from . import registration
    from .models import PendingRegistration

    pending = get_object_or_404(PendingRegistration, public_id=pending_id)
    errors, status = {}, 200
    if request.method == "POST" and not _registration_allowed(request):
        errors, status = {"__all__": [_too_many_registrations()]}, 429
    elif request.method == "POST":
        try:
            if request.POST.get("resend"):
                registration.resend(pending, client_ip(request))
            else:
                user = registration.confirm(pending, request.POST.get("code", ""))
                login(request, user, backend="congso.accounts.backends.IdentifierBackend")
                return redirect("portal:profile")
        except ValidationError as exc:
            errors = _messages(exc)
        except registration.TooMany as exc:
            errors = {"__all__": [str(exc)]}
    masked = pending.contact[:3] + "•••" + pending.contact[-3:]
    return render(
        request,
        "portal/register_confirm.html",
        {"errors": errors, "masked": masked},
        status=status,
    )
