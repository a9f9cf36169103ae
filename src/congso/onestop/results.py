"""The result of a dossier: drafted from the procedure's result templates and the declaration,
corrected by the specialist where the law lets him (with a reason, recorded), read by the leader
as it will be signed, then numbered in its register and signed at issue.

Nothing is signed that nobody has seen: approval is refused while there is no draft, and the
leader's confirmation names the draft he read (its SHA-256), so a draft changed after he opened
it is not signed either. The register number (book, page, number) is taken at issue from a
gap-free counter per register, unit and year (``core.numbering``): an approval that fails gives
its number back.

The stored file is never rewritten once signed: the signed copy is a separate ``SignedFile``
(signing app) with its own SHA-256. A unit without a usable organisation key leaves the result
*unsigned* and says why. An uploaded PDF (a result the template cannot produce) is kept as it is.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import select_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.core import audit, formatting, numbering
from congso.core.uploads import PDF, inert

from . import result_templates as rt
from .lifecycle import Actor, State
from .models import Dossier, Result
from .printing import issuer, lead_unit, place_and_date

#: Longest correction or note (characters).
MAX_TEXT = 1000
#: The inbox's name for a result waiting for the leader's personal signature.
AWAITING_KIND = gettext_lazy("Chờ ký kết quả")
#: The reason written in the leader's own signature on a result.
LEADER_REASON = gettext_lazy("Người có thẩm quyền ký kết quả")


# --- Binding and rendering ---------------------------------------------------------------------


def facts(dossier: Dossier) -> rt.DossierFacts:
    return rt.DossierFacts(
        code=dossier.code,
        procedure=f"{dossier.procedure.name} ({dossier.procedure.code})",
        applicant_name=dossier.applicant_name,
        applicant_id_number=dossier.applicant_id_number,
        applicant_address=dossier.applicant_address,
        received=formatting.date(dossier.received_at),
        fee=formatting.money(dossier.fee_amount),
    )


def applicable_templates(dossier: Dossier) -> list[rt.ResultTemplate]:
    """The procedure's templates that this declaration calls for (copies only on request)."""
    templates = rt.templates_for(dossier.procedure.code)
    return [t for t in templates if rt.applies(t, dossier.form_data)] or templates[:1]


def bound_values(dossier: Dossier, templates: list[rt.ResultTemplate]) -> tuple[dict, dict]:
    """``({key: value}, {key: label})`` of every field the templates bind."""
    values, labels = {}, {}
    schema = dossier.version.form_schema or {}
    for template in templates:
        for item in rt.bind(template, dossier.form_data, schema, facts(dossier)):
            values.setdefault(item.key, item.value)
            labels.setdefault(item.key, item.label)
    return values, labels


def signer(user, unit) -> tuple[str, str]:
    """The signer's name and title (the position he holds at ``unit``'s people's committee)."""
    from congso.accounts import services as accounts

    if user is None:
        return "", ""
    position = (
        accounts.current_positions(
            {"leader", "deputy_leader"}, user=user, unit__in=[unit, unit.locality()]
        )
        .order_by("role")
        .first()
    )
    return user.get_full_name(), (position.title if position and position.title else "")


def expected_signer(dossier: Dossier, unit):
    """Who will sign: the leader the last leader step is assigned to, else the people's
    committee's head (shown on the draft; the approving leader replaces him at issue)."""
    from congso.accounts import services as accounts

    step = dossier.steps.filter(actor=Actor.LEADER).order_by("-position").first()
    if step is not None and step.assignee_id:
        return step.assignee
    position = accounts.current_positions({"leader"}, unit=unit.locality()).order_by("pk").first()
    return position.user if position else None


def render(dossier: Dossier, result: Result, *, when, signed_by=None) -> bytes:
    """The result's pages (one per template) as one PDF: A4, Times New Roman metrics."""
    from weasyprint import HTML

    unit = lead_unit(dossier)
    upper, lower = issuer(unit)
    name, title = signer(signed_by or expected_signer(dossier, unit), unit)
    documents = []
    for key in result.templates or [rt.GENERAL]:
        template = rt.TEMPLATES.get(key, rt.TEMPLATES[rt.GENERAL])
        context = {
            "title": template.title,
            "template": template,
            "dossier": dossier,
            "issuer_upper": upper,
            "issuer_lower": lower,
            "unit": unit,
            "place_date": place_and_date(unit, when),
            "page": "A4",
            "v": result.values,
            "fields": [
                (result.labels.get(f.key, str(f.label)), result.values.get(f.key, ""))
                for f in template.fields
                if result.values.get(f.key)
            ],
            "register": result.register,
            "register_name": template.register.name if template.register else "",
            "note": result.note,
            "signer_name": name,
            "signer_title": title,
        }
        names = [f"onestop/pdf/results/{template.key}.html", "onestop/pdf/results/general.html"]
        html = select_template(names).render(context)
        documents.append(HTML(string=html).render())
    first = documents[0]
    pages = [page for document in documents for page in document.pages]
    return first.copy(pages).write_pdf()


def _store(result: Result, data: bytes, name: str) -> None:
    result.sha256 = hashlib.sha256(data).hexdigest()
    result.file.save(name, inert(data, "ket-qua.pdf", allowed=(PDF,)), save=False)


# --- Who may draft ------------------------------------------------------------------------------


def may_draft(user, dossier: Dossier) -> bool:
    """The specialist or leader at the active step, while the dossier is being processed."""
    from . import services

    return dossier.state == State.PROCESSING and bool(
        services.actors_for(user, dossier) & {Actor.SPECIALIST, Actor.LEADER}
    )


def _locked(dossier: Dossier, user) -> Dossier:
    locked = (
        Dossier.objects.select_for_update()
        .select_related("procedure", "version", "receiving_unit")
        .get(pk=dossier.pk)
    )
    if not may_draft(user, locked):
        raise PermissionDenied(_("Chỉ người đang xử lý hồ sơ mới được lập, sửa dự thảo kết quả."))
    return locked


def _issued(result: Result | None) -> bool:
    return result is not None and (result.signed or result.issued_at is not None)


# --- Drafting and correcting (the specialist) --------------------------------------------------


def create_draft(dossier: Dossier, user, *, when=None) -> Result:
    """Draft (or draft again) the result from the templates and the declaration; the caller
    holds the dossier's lock. Corrections made to an earlier draft are applied again."""
    when = when or timezone.now()
    templates = applicable_templates(dossier)
    values, labels = bound_values(dossier, templates)
    result = Result.objects.filter(dossier=dossier).first() or Result(
        dossier=dossier, created_by=user
    )
    for correction in result.corrections or []:
        values[correction["key"]] = correction["new"]
    result.title = str(templates[0].title)[:300]
    result.templates = [t.key for t in templates]
    result.values, result.labels = values, labels
    result.generated, result.signed, result.unsigned_reason = True, False, ""
    _store(result, render(dossier, result, when=when), f"{dossier.code}-du-thao.pdf")
    result.save()
    audit.record(
        "onestop.result_generated",
        dossier,
        unit_id=dossier.current_unit_id,
        data={"sha256": result.sha256, "title": result.title, "templates": result.templates},
    )
    return result


def draft(dossier: Dossier, user, *, when=None) -> Result:
    """The specialist drafts the result from the declaration (one transaction, audited)."""
    with transaction.atomic():
        locked = _locked(dossier, user)
        if _issued(Result.objects.filter(dossier=locked).first()):
            raise ValidationError(_("Kết quả đã được ký ban hành; không lập lại dự thảo."))
        result = create_draft(locked, user, when=when)
        _touch(locked)
    return result


def correct(dossier: Dossier, user, *, key: str, value: str, reason: str, when=None) -> Result:
    """Change one bound field of the draft (a number, a misspelt name), or its note.

    A field's correction needs a reason and is recorded (old, new, reason, who, when) on the
    result and in the audit log; the note is free text (the law's ``Ghi chú``)."""
    when = when or timezone.now()
    value, reason = (value or "").strip(), (reason or "").strip()
    with transaction.atomic():
        locked = _locked(dossier, user)
        result = Result.objects.filter(dossier=locked, generated=True).first()
        if result is None or _issued(result):
            raise ValidationError(_("Chưa có bản dự thảo lập từ mẫu để sửa."))
        errors = _check_correction(result, key, value, reason)
        if errors:
            raise ValidationError(errors)
        old = result.note if key == "note" else result.values.get(key, "")
        if key == "note":
            result.note = value
        else:
            result.values = {**result.values, key: value}
        entry = {
            "key": key,
            "label": str(_("Ghi chú")) if key == "note" else result.labels.get(key, key),
            "old": old,
            "new": value,
            "reason": reason,
            "by": user.get_full_name(),
            "at": when.isoformat(),
            "at_display": formatting.datetime(when),
        }
        result.corrections = [*(result.corrections or []), entry]
        _store(result, render(locked, result, when=when), f"{locked.code}-du-thao.pdf")
        result.save()
        audit.record(
            "onestop.result_corrected",
            locked,
            unit_id=locked.current_unit_id,
            data={**entry, "sha256": result.sha256},
        )
        _touch(locked)
    return result


def _check_correction(result: Result, key: str, value: str, reason: str) -> dict:
    if key != "note" and key not in result.values:
        return {"key": [_("Chọn một nội dung của kết quả để sửa.")]}
    if len(value) > MAX_TEXT or len(reason) > MAX_TEXT:
        return {"value": [_("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": MAX_TEXT}]}
    if key != "note" and not value:
        return {"value": [_("Nhập nội dung mới.")]}
    if key != "note" and not reason:
        return {"reason": [_("Nêu lý do sửa (căn cứ giấy tờ trong hồ sơ).")]}
    if key != "note" and value == result.values.get(key):
        return {"value": [_("Nội dung mới giống nội dung hiện tại.")]}
    return {}


def _touch(dossier: Dossier) -> None:
    """A new draft changes what the leader decides on: the revision moves on."""
    dossier.revision += 1
    dossier.save(update_fields=["revision"])


# --- Issuing (the leader's approval) -----------------------------------------------------------


def allocate_register(dossier: Dossier, result: Result, unit, when) -> dict:
    """Take the next number of the main template's register for ``unit`` and the year of
    ``when`` (gap-free: inside the approval's transaction)."""
    template = rt.TEMPLATES.get((result.templates or [rt.GENERAL])[0])
    if template is None or template.register is None:
        return {}
    year = timezone.localtime(when).year
    sequence = numbering.next_value(rt.register_counter_key(template.register, unit.pk, year))
    entry = rt.register_entry(sequence, year, template.register)
    return {"name": str(template.register.name), "year": year, **entry.as_dict()}


def issue(dossier: Dossier, user, *, when=None, seen: str | None = None) -> Result:
    """On the final approval: the draft the leader saw, numbered in its register, signed.

    Refused (Vietnamese message, nothing changes) when there is no draft, or when ``seen`` (the
    SHA-256 of the draft the leader confirmed) is not the draft's."""
    when = when or timezone.now()
    result = Result.objects.filter(dossier=dossier).first()
    if result is None or not result.file:
        raise ValidationError(
            _(
                "Chưa có bản dự thảo kết quả để xem trước; không thể phê duyệt. "
                "Chuyên viên cần lập dự thảo kết quả từ tờ khai trước."
            )
        )
    if seen is not None and seen != result.sha256:
        raise ValidationError(
            _("Bản dự thảo đã thay đổi sau khi ông/bà mở trang; hãy xem lại bản mới rồi ký.")
        )
    if result.generated:
        unit = lead_unit(dossier)
        result.register = allocate_register(dossier, result, unit, when)
        _store(result, render(dossier, result, when=when, signed_by=user), f"{dossier.code}.pdf")
    result.issued_at = when
    if dossier.version.result_signed_by_leader:
        return _await_leader(result, user, seen)
    result.save()
    _record_issued(result, seen)
    return sign(result, user)


def _record_issued(result: Result, seen: str | None) -> None:
    audit.record(
        "onestop.result_issued",
        result.dossier,
        unit_id=result.dossier.current_unit_id,
        data={"seen_sha256": seen or "", "sha256": result.sha256, "register": result.register},
    )


def _await_leader(result: Result, user, seen: str | None) -> Result:
    """The procedure's result is the leader's own decision: it waits, unsealed, for the
    signature he makes with his own signer (``start_leader_signature``)."""
    if user is None:  # nobody to sign (a record made without an approving leader)
        result.save()
        _record_issued(result, seen)
        return _unsigned(result, _("Chưa xác định lãnh đạo ký kết quả."))
    result.awaiting_signer = user
    result.signed = False
    result.unsigned_reason = _("Chờ chữ ký số cá nhân của %(name)s.") % {
        "name": user.get_full_name()
    }
    result.save()
    _record_issued(result, seen)
    return result


# --- The leader's personal signature (procedures that ask for it) --------------------------


def awaiting_signature(user):
    """The results waiting for ``user``'s personal signature (his inbox)."""
    return Result.objects.filter(awaiting_signer=user).select_related("dossier__procedure")


def check_available(dossier: Dossier) -> None:
    """A result still waiting for the leader's personal signature is not handed over."""
    waiting = Result.objects.filter(dossier=dossier, awaiting_signer__isnull=False).first()
    if waiting is not None:
        raise ValidationError(
            _("Kết quả chưa thể trả: đang chờ chữ ký số cá nhân của %(name)s.")
            % {"name": waiting.awaiting_signer.get_full_name()},
            code="awaiting_signature",
        )


def leader_signing_purpose(result: Result) -> str:
    """What a pending signature is for: this result as drafted (its SHA-256 prefix)."""
    return f"onestop.result:{result.pk}:{result.sha256[:16]}"


def start_leader_signature(result: Result, user):
    """Begin the approving leader's personal signature with his own signer (USB token at the
    desk or the CA's remote service on the phone); nothing changes until
    ``finish_leader_signature``. Returns ``(pending, step)`` (``signing.services``)."""
    from congso.signing import services as signing

    if result.awaiting_signer_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Kết quả này không chờ chữ ký của ông/bà."))
    certificate = signing.personal_certificate(user)
    if certificate is None:
        raise ValidationError(_("Bạn chưa có chứng thư số cá nhân để ký."), code="no_key")
    with result.file.open("rb") as handle:
        data = handle.read()
    return signing.start_signature(
        data,
        actor=user,
        certificate=certificate,
        reason=str(LEADER_REASON),
        purpose=leader_signing_purpose(result),
    )


def finish_leader_signature(result: Result, user, pending, *, signature: bytes | None = None):
    """Embed the leader's answer, then seal with the organisation's key (at its level): the
    result is available only now. None while the leader has not confirmed yet."""
    from congso.signing import services as signing

    if pending.purpose != leader_signing_purpose(result):
        raise ValidationError(_("Yêu cầu ký không thuộc kết quả này."), code="wrong_result")
    with transaction.atomic():
        locked = Result.objects.select_for_update().get(pk=result.pk)
        if locked.awaiting_signer_id != getattr(user, "pk", None):
            raise PermissionDenied(_("Kết quả này không chờ chữ ký của ông/bà."))
        personal = signing.collect_signature(pending, actor=user, signature=signature)
        if personal is None:
            return None
        return signed_by_leader(locked, user, personal)


def signed_by_leader(result: Result, user, personal: bytes) -> Result:
    """Record the leader's personally signed copy (his signer's answer embedded after the
    draft's bytes, which it must leave untouched) and seal it."""
    with result.file.open("rb") as handle:
        if not personal.startswith(handle.read()):
            raise ValidationError(_("Bản đã ký không phải bản dự thảo đã duyệt."), code="not_draft")
    result.awaiting_signer = None
    result.save(update_fields=["awaiting_signer"])
    audit.record(
        "onestop.result_personally_signed",
        result.dossier,
        unit_id=result.dossier.current_unit_id,
        data={"sha256": hashlib.sha256(personal).hexdigest()},
    )
    return sign(result, user, data=personal)


def sign(result: Result, user, *, data: bytes | None = None) -> Result:
    """Seal the issued result (``data``: the leader's personally signed copy where the
    procedure asks for it, else the draft) with the agency's organisation signature. The server
    never holds a person's key (``signing.services.refuse_personal_key``): the leader's own
    signature comes from his signer, or his name and title are only printed on the form.

    A missing or unusable seal key (or a signing failure) keeps the result unsigned with the
    reason."""
    from congso.signing import services as signing

    dossier = result.dossier
    unit = lead_unit(dossier)
    key = signing.organisation_key(unit)
    if key is None:
        return _unsigned(result, _("%(unit)s chưa có chữ ký số của cơ quan.") % {"unit": unit})
    if data is None:
        with result.file.open("rb") as handle:
            data = handle.read()
    reason = _("Kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code}
    location = unit.short_name or unit.name
    try:
        signed = signing.sign_pdf(
            data,
            key=key,
            reason=reason,
            location=location,
            level=signing.level_for(unit),
            signer_user=user,
        )
    except ValidationError as exc:
        return _unsigned(result, "; ".join(exc.messages))
    result.signed_file = signing.store_signed_file(signed, name=f"{dossier.code}-ket-qua-da-ky.pdf")
    result.signed, result.unsigned_reason = True, ""
    result.save(update_fields=["signed_file", "signed", "unsigned_reason"])
    audit.record(
        "onestop.result_signed",
        dossier,
        unit_id=unit.pk,
        data={
            "draft_sha256": result.sha256,
            "signed_sha256": result.signed_file.sha256,
            "certificate": key.certificate.fingerprint,
        },
    )
    return result


def _unsigned(result: Result, reason: str) -> Result:
    result.signed, result.unsigned_reason = False, reason[:300]
    result.save(update_fields=["signed", "unsigned_reason"])
    audit.record(
        "onestop.result_unsigned",
        result.dossier,
        unit_id=result.dossier.current_unit_id,
        data={"reason": result.unsigned_reason},
    )
    return result
