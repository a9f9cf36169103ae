"""Outgoing drafts: created from an upload or composed, new versions, comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congso.core import audit
from congso.org.choices import LOCALITY_KINDS

from .. import drafts, lifecycle, recipients, signers
from ..lifecycle import OutgoingState
from ..models import Comment, Direction, Document, DocumentType, Recipient, Version, VersionKind
from .access import _require, refuse_secret, visible_documents
from .versions import _add_version, _index

if TYPE_CHECKING:
    from congso.org.models import Unit


@dataclass
class ExternalRecipient:
    name: str
    agency_id: str = ""
    email: str = ""


@dataclass
class Draft:
    unit: Unit
    doc_type: str
    subject: str
    body: str = ""
    drafting_unit: Unit | None = None
    signer: object = None
    signer_position: str = ""
    place: str = ""
    urgency: int = 0
    secrecy: str = ""
    recipient_units: list = field(default_factory=list)
    #: groups chosen in one tick (``recipients.groups``), expanded when the document is sent
    recipient_groups: list = field(default_factory=list)
    external: list = field(default_factory=list)
    #: save the ticked recipient units as the organ's list of this name
    save_list_as: str = ""
    #: an issued document of the same organ this one replaces (edXML business type 3)
    replaces: Document | None = None


def create_outgoing(draft: Draft, *, actor, upload=None) -> Document:
    """A new draft from an uploaded PDF or DOCX or, without one, composed in the Decree 30
    layout. The file is checked before anything is created."""
    refuse_secret(draft.secrecy)
    if draft.unit.kind not in LOCALITY_KINDS:
        raise ValidationError({"unit": _("Cơ quan ban hành phải là UBND tỉnh, huyện hoặc xã.")})
    _require(actor, lifecycle.DRAFT, draft.unit)
    if draft.replaces is not None and (
        draft.replaces.unit_id != draft.unit.pk or draft.replaces.state != OutgoingState.ISSUED
    ):
        raise ValidationError(
            {"replaces": _("Chỉ thay thế văn bản đã phát hành của cùng cơ quan.")}
        )
    if draft.doc_type not in DocumentType.values:
        raise ValidationError({"doc_type": _("Loại văn bản không hợp lệ.")})
    if not draft.subject.strip():
        raise ValidationError({"subject": _("Cần nhập trích yếu văn bản.")})
    signer = signers.check_signer(draft.unit, draft.signer)
    groups = recipients.check(draft.unit, draft.recipient_groups)
    checked = drafts.check(upload) if upload else None
    with transaction.atomic():
        document = Document.objects.create(
            direction=Direction.OUTGOING,
            unit=draft.unit,
            state=OutgoingState.DRAFT,
            doc_type=draft.doc_type,
            subject=draft.subject.strip(),
            body=drafts.plain_text(checked.body) if checked and checked.body else draft.body,
            drafting_unit=draft.drafting_unit,
            signer=draft.signer,
            signer_position=draft.signer_position or (signer.title if signer else ""),
            recipient_groups=groups,
            place=draft.place or _default_place(draft.unit),
            urgency=draft.urgency,
            replaces=draft.replaces,
            created_by=actor,
        )
        for unit in draft.recipient_units:
            Recipient.objects.create(
                document=document,
                unit=unit,
                name=unit.name,
                agency_id=unit.agency_id or "",
                email=unit.email,
            )
        for organ in draft.external:
            Recipient.objects.create(
                document=document, name=organ.name, agency_id=organ.agency_id, email=organ.email
            )
        if draft.save_list_as:
            recipients.save_list(draft.unit, draft.save_list_as, draft.recipient_units)
        named = [
            *recipients.labels(draft.unit, groups),
            *(r.name for r in document.recipients.all()),
        ]
        document.recipients_text = "; ".join(named)[:500]
        _add_draft_files(document, actor, checked)
        _index(document)
        document.save()
        audit.record(
            "documents.drafted",
            document,
            unit_id=document.unit_id,
            data={
                "type": document.doc_type,
                "composed": checked is None,
                "docx": bool(checked and checked.body is not None),
            },
        )
    return document


def _add_draft_files(document: Document, user, upload: drafts.Upload | None) -> Version:
    """The draft's files; the PDF, the version that is signed, is always added last.

    An uploaded PDF is kept as it is. A DOCX is kept byte for byte as the editable original and
    its body laid out in the Decree 30 layout as the PDF. Without a file, the typed body is."""
    from .. import compose

    if upload is None:
        pdf = compose.render(document)
        return _add_version(document, pdf, name="du-thao.pdf", kind=VersionKind.DRAFT, user=user)
    if upload.body is None:
        data, name = upload.file.data, upload.file.name
        return _add_version(document, data, name=name, kind=VersionKind.DRAFT, user=user)
    _add_version(
        document,
        upload.file.data,
        name=upload.file.name,
        kind=VersionKind.SOURCE,
        user=user,
    )
    pdf = compose.render(document, upload.body)
    return _add_version(document, pdf, name=upload.pdf_name, kind=VersionKind.DRAFT, user=user)


def _default_place(unit: Unit) -> str:
    name = unit.short_name or unit.name
    for prefix in ("UBND ", "Xã ", "Huyện ", "Tỉnh ", "Thị trấn "):
        name = name.removeprefix(prefix)
    return name


def add_version(document: Document, upload, *, actor) -> Version:
    """A drafter's new file (PDF, or DOCX with the PDF laid out from it): a new version, the old
    ones kept. A DOCX's text becomes the body, so search finds what the draft says now."""
    checked = drafts.check(upload)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.state not in (OutgoingState.DRAFT, OutgoingState.IN_REVIEW):
            raise ValidationError(
                _("Chỉ thêm phiên bản khi văn bản còn là dự thảo hoặc chờ duyệt.")
            )
        _require(actor, lifecycle.DRAFT, locked.unit)
        if checked.body is not None:
            locked.body = drafts.plain_text(checked.body)
            _index(locked)
        version = _add_draft_files(locked, actor, checked)
        locked.revision += 1
        locked.save(update_fields=["revision", "page_count", "body", "search_text"])
        audit.record(
            "documents.version_added",
            locked,
            unit_id=locked.unit_id,
            data={"version": version.number, "sha256": version.sha256},
        )
    return version


def add_comment(document: Document, text: str, *, actor, action: str = "") -> Comment:
    if not text.strip():
        raise ValidationError({"text": _("Cần nhập nội dung ý kiến.")})
    if not visible_documents(actor).filter(pk=document.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền với văn bản này."))
    with transaction.atomic():
        comment = Comment.objects.create(
            document=document, author=actor, text=text.strip(), action=action
        )
        audit.record(
            "documents.commented", document, unit_id=document.unit_id, data={"comment": comment.pk}
        )
    return comment
