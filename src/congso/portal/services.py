"""The only code that changes portal data: drafts, the citizen data store, and the citizen's
actions on a filed dossier (which go through ``onestop.services``).

Every function takes the citizen and looks objects up *within what the citizen owns*, so another
citizen's draft, dossier or stored document simply does not exist for them (404, never 403).
"""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from congso.catalog import services as catalog
from congso.catalog.choices import OnlineMode
from congso.catalog.declaration import validate_declaration
from congso.core import audit
from congso.core.uploads import CheckedFile, check_content, check_file, inert
from congso.onestop import services as onestop
from congso.onestop.choices import ResultDelivery
from congso.onestop.lifecycle import State

from . import declaration_form
from .models import Draft, DraftDocument, StoredDocument, StoredKind

if TYPE_CHECKING:  # type names only: no import of another app's models at run time
    from congso.catalog.models import Procedure
    from congso.onestop.models import Dossier

# --- Looking up what the citizen owns ------------------------------------------------------


def own_draft(citizen, public_id) -> Draft:
    draft = (
        Draft.objects.select_related("procedure", "unit")
        .filter(owner=citizen, public_id=public_id)
        .first()
        if citizen.is_authenticated
        else None
    )
    if draft is None:
        raise Http404(_("Không tìm thấy hồ sơ nháp."))
    return draft


def own_dossiers(citizen):
    if not citizen.is_authenticated:
        return onestop.dossiers().none()
    return (
        onestop.dossiers().filter(applicant=citizen).select_related("procedure", "receiving_unit")
    )


def own_dossier(citizen, code: str) -> Dossier:
    dossier = own_dossiers(citizen).filter(code=code).first()
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def own_stored(citizen, public_id) -> StoredDocument:
    item = (
        StoredDocument.objects.filter(owner=citizen, public_id=public_id).first()
        if citizen.is_authenticated
        else None
    )
    if item is None:
        raise Http404(_("Không tìm thấy giấy tờ trong kho dữ liệu."))
    return item


# --- Drafts -------------------------------------------------------------------------------


def offered_online(procedure: Procedure) -> bool:
    """Can ``procedure`` be filed online now: a service mode above information and an online
    channel in the version in force?"""
    if not procedure.is_active or procedure.online_mode == OnlineMode.INFORMATION:
        return False
    version = procedure.current_version()
    return version is not None and any(c.channel == "online" for c in version.channels.all())


def start_draft(citizen, procedure: Procedure) -> Draft:
    if not offered_online(procedure):
        raise ValidationError(_("Thủ tục này chưa nhận hồ sơ trực tuyến."))
    version = procedure.current_version()
    answers = declaration_form.prefill(version.form_schema or {}, identity_of(citizen))
    with transaction.atomic():
        draft = Draft.objects.create(owner=citizen, procedure=procedure, answers=answers)
        audit.record("portal.draft_start", draft, data={"procedure": procedure.code})
    return draft


def identity_of(citizen) -> dict:
    """What the declaration may be started with: the identity VNeID gave the account (the
    national population database's data), nothing for an identity the platform did not get
    from VNeID — a typed name proves nothing and a desk check is not a data source."""
    if citizen.id_proven_by != "eid":
        return {}
    return {
        "full_name": citizen.get_full_name(),
        "id_number": citizen.id_number or "",
        "date_of_birth": citizen.date_of_birth.isoformat() if citizen.date_of_birth else "",
        "sex": citizen.sex or "",
        "residence": citizen.address or "",
        "phone": _local_phone(citizen.phone or ""),
        "email": citizen.email or "",
    }


def _local_phone(phone: str) -> str:
    """``+84912345678`` as the forms' pattern accepts it (``0912345678``)."""
    return "0" + phone.removeprefix("+84") if phone.startswith("+84") else phone


def version_of(draft: Draft):
    version = draft.procedure.current_version()
    if version is None:
        raise ValidationError(_("Thủ tục chưa có phiên bản đang áp dụng."))
    return version


def set_unit(draft: Draft, unit_id) -> Draft:
    unit = (
        catalog.offering_units(draft.procedure).filter(pk=unit_id).first()
        if str(unit_id).isdigit()
        else None
    )
    if unit is None:
        raise ValidationError({"unit": [_("Chọn nơi nộp hồ sơ trong danh sách.")]})
    draft.unit = unit
    draft.save(update_fields=["unit", "updated_at"])
    return draft


def save_group(draft: Draft, group_index: int, post) -> dict[str, list]:
    """Save one page of the declaration; returns that page's errors (then nothing is saved)."""
    schema = version_of(draft).form_schema
    group = declaration_form.groups(schema, draft.answers)[group_index]
    answers = declaration_form.read_group(schema, group, post, draft.answers)
    errors = declaration_form.errors_for(schema, answers, group.names)
    if not errors:
        draft.answers = answers
        draft.save(update_fields=["answers", "updated_at"])
    return errors


def save_answers(draft: Draft, answers) -> Draft:
    """Save the whole declaration at once (the API); refused with every error by field path."""
    schema = version_of(draft).form_schema or {}
    if not isinstance(answers, dict):
        raise ValidationError({"answers": [_("Tờ khai phải là một đối tượng JSON.")]})
    errors = declaration_form.errors_for(schema, answers) if schema else {}
    if errors:
        raise ValidationError({f"answers.{key}": messages for key, messages in errors.items()})
    draft.answers = answers
    draft.save(update_fields=["answers", "updated_at"])
    return draft


def _as_pdf(checked: CheckedFile) -> CheckedFile:
    """A photographed page becomes a one-page PDF, the format of digitised dossiers."""
    if checked.content_type == "application/pdf":
        return checked
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(checked.data))
        image.load()
    except Exception as exc:  # noqa: BLE001 - a file Pillow cannot read is a broken image
        raise ValidationError(
            _("Ảnh “%(name)s” bị hỏng, không đọc được.") % {"name": checked.name}
        ) from exc
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PDF", resolution=200.0)
    data = out.getvalue()
    return CheckedFile(
        name=checked.name.rsplit(".", 1)[0] + ".pdf",
        data=data,
        content_type="application/pdf",
        extension="pdf",
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _required_document(draft: Draft, required_id):
    doc = (
        version_of(draft).documents.filter(pk=required_id, is_declaration=False).first()
        if str(required_id).isdigit()
        else None
    )
    if doc is None:
        raise Http404(_("Không có thành phần hồ sơ này."))
    return doc


def attach_upload(draft: Draft, required_id, upload) -> DraftDocument:
    required = _required_document(draft, required_id)
    if draft.documents.exclude(required_document=required).count() >= settings.UPLOAD_MAX_FILES:
        raise ValidationError(
            _("Chỉ được gửi tối đa %(n)s tệp mỗi lần.") % {"n": settings.UPLOAD_MAX_FILES}
        )
    checked = _as_pdf(check_file(upload))
    with transaction.atomic():
        draft.documents.filter(required_document=required).delete()
        item = DraftDocument(
            draft=draft,
            required_document=required,
            original_name=checked.name[:255],
            sha256=checked.sha256,
            content_type=checked.content_type,
            size=checked.size,
        )
        item.file.save(f"{draft.public_id}-{checked.sha256[:12]}.pdf", ContentFile(checked.data))
        draft.save(update_fields=["updated_at"])
    return item


def attach_stored(draft: Draft, required_id, stored_public_id) -> DraftDocument:
    """Reuse a document of the data store instead of uploading it again."""
    required = _required_document(draft, required_id)
    stored = own_stored(draft.owner, stored_public_id)
    with transaction.atomic():
        draft.documents.filter(required_document=required).delete()
        item = DraftDocument.objects.create(
            draft=draft,
            required_document=required,
            stored=stored,
            original_name=stored.title[:255],
            sha256=stored.sha256,
            content_type=stored.content_type,
            size=stored.size,
        )
        draft.save(update_fields=["updated_at"])
    return item


def remove_document(draft: Draft, required_id) -> None:
    draft.documents.filter(required_document_id=required_id).delete()


def set_delivery(draft: Draft, value: str) -> Draft:
    if value not in ResultDelivery.values:
        raise ValidationError({"result_delivery": [_("Chọn cách nhận kết quả.")]})
    draft.result_delivery = value
    draft.save(update_fields=["result_delivery", "updated_at"])
    return draft


def fee_inputs(draft: Draft) -> list[str]:
    """Which figures the online fee of the draft's procedure is computed from (``copies``,
    ``pages``): the delivery page asks for them."""
    version = version_of(draft)
    if catalog.declares_fee_items(version):
        return []  # the declaration lists each document's pages and copies: not asked twice
    kind = version.channel("online").fee.get("kind")
    return {"per_copy": ["copies"], "per_page": ["copies", "pages"]}.get(kind, [])


def _figure(value, name: str) -> int:
    text = str(value).strip()
    if not text.isdigit():
        raise ValidationError({name: [_("Nhập một số nguyên dương.")]})
    return int(text)


def set_fee_inputs(draft: Draft, copies, pages) -> Draft:
    """Store the citizen's copies and pages, checked by the rule filing applies."""
    copies, pages = _figure(copies, "copies"), _figure(pages, "pages")
    onestop.fee_for(version_of(draft), "online", copies=copies, pages=pages)
    draft.copies, draft.pages = copies, pages
    draft.save(update_fields=["copies", "pages", "updated_at"])
    return draft


def fee(draft: Draft) -> int | None:
    """The online fee as filing will compute it, or None while copies or pages are missing."""
    try:
        return onestop.fee_for(
            version_of(draft),
            "online",
            copies=draft.copies,
            pages=draft.pages,
            form_data=draft.answers,
        )
    except ValidationError:
        return None


def waived_documents(draft: Draft) -> set[int]:
    """Required documents the citizen need not give: their identity paper when the account's
    identity came from VNeID (Decree 45/2020/NĐ-CP: the state does not ask again for data it
    holds)."""
    if draft.owner.id_proven_by != "eid":
        return set()
    return {d.pk for d in version_of(draft).documents.all() if catalog.is_identity_to_present(d)}


def save_draft_group(draft: Draft, group_index: int, post) -> Draft:
    """ "Lưu nháp": keep what is on the page as typed, checked or not; the check page and the
    submit still refuse what the form refuses."""
    schema = version_of(draft).form_schema
    group = declaration_form.groups(schema, draft.answers)[group_index]
    draft.answers = declaration_form.read_group(schema, group, post, draft.answers)
    draft.save(update_fields=["answers", "updated_at"])
    return draft


def problems(draft: Draft) -> dict[str, list[str]]:
    """What still stops the draft from being submitted, by the page that fixes it."""
    version = version_of(draft)
    found: dict[str, list[str]] = {}
    if draft.unit is None:
        found["unit"] = [_("Chọn nơi nộp hồ sơ.")]
    if version.form_schema:
        errors = declaration_form.errors_for(version.form_schema, draft.answers)
        if errors:
            found["answers"] = [m for messages in errors.values() for m in messages]
    attached = set(
        draft.documents.filter(Q(stored__isnull=False) | ~Q(file="")).values_list(
            "required_document_id", flat=True
        )
    )
    waived = waived_documents(draft)
    missing = [
        d.name
        for d in version.documents.all()
        if d.mandatory and not d.is_declaration and d.pk not in attached and d.pk not in waived
    ]
    if missing:
        found["documents"] = [_("Chưa có giấy tờ: %(name)s.") % {"name": name} for name in missing]
    if not draft.result_delivery:
        found["result_delivery"] = [_("Chọn cách nhận kết quả.")]
    if fee_inputs(draft):
        try:
            onestop.fee_for(version, "online", copies=draft.copies, pages=draft.pages)
        except ValidationError as exc:
            found["fee"] = exc.messages
    return found


def _received(item: DraftDocument):
    if item.stored_id and item.stored.owner_id != item.draft.owner_id:
        raise PermissionDenied(_("Giấy tờ trong kho dữ liệu không thuộc về bạn."))
    source = item.stored.file if item.stored_id else item.file
    if not source:
        raise ValidationError(
            {"documents": [_("Giấy tờ “%(name)s” chưa có tệp.") % {"name": item.original_name}]}
        )
    with source.open("rb") as handle:
        data = handle.read()
    checked = CheckedFile(
        name=item.original_name or "tep.pdf",
        data=data,
        content_type=item.content_type,
        extension=item.content_type.rsplit("/", 1)[-1].replace("jpeg", "jpg"),
        sha256=item.sha256,
    )
    doc = item.required_document
    return onestop.ReceivedDocument(
        required_document_id=doc.pk,
        name=doc.name,
        copy_kind=doc.copy_kind,
        count=doc.count,
        file=checked,
        reused=item.reused,
    )


def submit(draft: Draft) -> Dossier:
    """File the draft through the one-stop desk's online intake; the draft is then gone."""
    found = problems(draft)
    if found:
        raise ValidationError(found)
    version = version_of(draft)
    if version.form_schema:
        validate_declaration(version.form_schema, draft.answers)
    citizen = draft.owner
    intake = onestop.Intake(
        procedure_code=draft.procedure.code,
        unit_id=draft.unit_id,
        documents=[
            _received(item)
            for item in draft.documents.select_related("stored", "required_document")
        ],
        result_delivery=draft.result_delivery,
        form_data=draft.answers,
        copies=draft.copies,
        pages=draft.pages,
    )
    with transaction.atomic():
        dossier = onestop.file_online(citizen, intake)
        audit.record(
            "portal.submit",
            dossier,
            unit_id=dossier.receiving_unit_id,
            data={"draft": str(draft.public_id)},
        )
        for item in draft.documents.all():
            if item.file:
                item.file.delete(save=False)
        draft.delete()
    return dossier


def discard_draft(draft: Draft) -> None:
    with transaction.atomic():
        audit.record("portal.draft_discard", draft, data={"procedure": draft.procedure.code})
        for item in draft.documents.all():
            if item.file:
                item.file.delete(save=False)
        draft.delete()


# --- Acting on a filed dossier ---------------------------------------------------------------


def answer_supplement(dossier: Dossier, citizen, uploads, note: str = "") -> Dossier:
    """Send what the desk asked for; each file is checked and turned into PDF."""
    uploads = [u for u in uploads if u]
    if not uploads:
        raise ValidationError({"files": [_("Đính kèm giấy tờ bổ sung.")]})
    if len(uploads) > settings.UPLOAD_MAX_FILES:
        raise ValidationError(
            {
                "files": [
                    _("Chỉ được gửi tối đa %(n)s tệp mỗi lần.") % {"n": settings.UPLOAD_MAX_FILES}
                ]
            }
        )
    documents = []
    for upload in uploads:
        try:
            checked = _as_pdf(check_file(upload))
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
        documents.append(
            onestop.ReceivedDocument(
                required_document_id=None,
                name=_("Giấy tờ bổ sung: %(name)s") % {"name": checked.name},
                file=checked,
            )
        )
    return onestop.transition(
        dossier,
        "supplement",
        actor=citizen,
        revision=dossier.revision,
        documents=documents,
        note=note,
    )


def withdraw(dossier: Dossier, citizen, reason: str) -> Dossier:
    """The citizen withdraws; the lifecycle's row asks for the reason (form 05)."""
    return onestop.transition(
        dossier, "withdraw", actor=citizen, revision=dossier.revision, note=reason
    )


def result_available(dossier: Dossier) -> bool:
    """The citizen may download the result once it is returned to them (or approved for an online
    delivery, when returning is only a formality)."""
    if not hasattr(dossier, "result"):
        return False
    if dossier.state == State.RETURNED:
        return True
    return dossier.state == State.PROCESSED and dossier.result_delivery == ResultDelivery.ONLINE


def result_document(result):
    """The file to hand out: the signed original when the signing app made one, else the
    result as attached. Returns ``(file, sha256)``."""
    signed = getattr(result, "signed_file", None)
    if signed is not None:
        return signed.file, signed.sha256
    return result.file, result.sha256


# --- The data store ------------------------------------------------------------------------


def _store(owner, *, kind, title, source, sha256, content_type, size, code, signed=False):
    if StoredDocument.objects.filter(owner=owner, sha256=sha256).exists():
        return None
    item = StoredDocument(
        owner=owner,
        kind=kind,
        title=title[:1000],
        sha256=sha256,
        content_type=content_type or "application/pdf",
        size=size,
        source_code=code,
        signed=signed,
    )
    with source.open("rb") as handle:
        item.file.save(
            f"{sha256[:16]}.{'pdf' if 'pdf' in item.content_type else 'bin'}",
            inert(handle.read(), title),
            save=False,
        )
    item.save()
    audit.record("portal.datastore_add", item, data={"dossier": code, "kind": kind})
    return item


def _signed_in_store(id_number: str):
    """The signed results in the data store of the citizen whose proven ID is ``id_number``: the
    platform issued them itself, so the desk may reuse them for the applicant at the counter."""
    return StoredDocument.objects.filter(
        owner__id_number=id_number, owner__is_active=True, signed=True
    )


def desk_offers(officer, id_number: str) -> list:
    """``onestop.reuse`` source: the applicant's signed results, newest first."""
    from congso.onestop.reuse import Offer

    origin = _("kho dữ liệu của công dân")
    return [
        Offer(f"store:{item.public_id}", item.title, origin)
        for item in _signed_in_store(id_number)[:10]
    ]


def desk_stored_file(officer, id_number: str, ident: str) -> CheckedFile | None:
    item = _signed_in_store(id_number).filter(public_id=ident).first() if _uuid(ident) else None
    if item is None:
        return None
    with item.file.open("rb") as handle:
        return check_content(handle.read(), item.title)


def _uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def file_into_store(dossier: Dossier, transition: str) -> list[StoredDocument]:
    """After the desk accepts an online dossier, its uploaded documents count as verified; after
    the result is returned (or approved for online delivery), the result joins them."""
    if not dossier.applicant_id:
        return []
    added = []
    with transaction.atomic():
        if transition == "accept":
            for doc in dossier.documents.exclude(file="").filter(reused=False):
                added.append(
                    _store(
                        dossier.applicant,
                        kind=StoredKind.DOCUMENT,
                        title=doc.name,
                        source=doc.file,
                        sha256=doc.sha256,
                        content_type=doc.content_type,
                        size=doc.size,
                        code=dossier.code,
                    )
                )
        elif result_available(dossier):
            result = dossier.result
            source, sha256 = result_document(result)
            added.append(
                _store(
                    dossier.applicant,
                    kind=StoredKind.RESULT,
                    title=result.title,
                    source=source,
                    sha256=sha256,
                    content_type="application/pdf",
                    size=source.size,
                    code=dossier.code,
                    signed=result.signed,
                )
            )
    return [a for a in added if a is not None]


def on_dossier_changed(sender, dossier, transition, to_state, **kwargs) -> None:
    if transition in ("accept", "approve", "return_result"):
        file_into_store(onestop.dossiers().get(pk=dossier.pk), transition)
