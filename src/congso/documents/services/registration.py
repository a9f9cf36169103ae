"""Registration of incoming documents: upload, e-mail, edXML package."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.text import fold
from congso.core.uploads import check_content, check_file

from .. import lifecycle, numbering
from ..lifecycle import IncomingState
from ..models import Direction, Document, DocumentType, VersionKind
from .access import _require, refuse_secret
from .status import report_status
from .versions import VERSION_TYPES, _add_version, _index, _schedule_text_extraction

if TYPE_CHECKING:
    from congso.org.models import Unit


@dataclass
class Arrival:
    unit: Unit
    doc_type: str
    subject: str
    author: str
    notation: str = ""
    issued_on: dt.date | None = None
    urgency: int = 0
    secrecy: str = ""
    author_agency_id: str = ""
    external_id: str = ""


def register_incoming(arrival: Arrival, files: list, *, actor, now=None) -> Document:
    """Register an incoming document with the next arrival number of the organ's register and
    schedule OCR of its ``(name, bytes)`` files (the originals are never modified)."""
    refuse_secret(arrival.secrecy)
    _require(actor, lifecycle.REGISTER, arrival.unit)
    if not arrival.subject.strip():
        raise ValidationError({"subject": _("Cần nhập trích yếu văn bản.")})
    if not arrival.author.strip():
        raise ValidationError({"author": _("Cần nhập cơ quan ban hành.")})
    if not files:
        raise ValidationError({"file": _("Cần tải lên tệp văn bản.")})
    now = timezone.localtime(now or timezone.now())
    with transaction.atomic():
        if (
            arrival.external_id
            and Document.objects.filter(
                unit=arrival.unit, direction=Direction.INCOMING, external_id=arrival.external_id
            ).exists()
        ):
            raise ValidationError(
                _("Văn bản này đã được vào sổ văn bản đến trước đó."), code="duplicate"
            )
        document = Document.objects.create(
            direction=Direction.INCOMING,
            unit=arrival.unit,
            state=IncomingState.REGISTERED,
            doc_type=arrival.doc_type if arrival.doc_type in DocumentType.values else "CV",
            subject=arrival.subject.strip(),
            author=arrival.author.strip(),
            author_agency_id=arrival.author_agency_id,
            notation=arrival.notation,
            issued_on=arrival.issued_on,
            urgency=arrival.urgency,
            external_id=arrival.external_id,
            received_at=now,
            arrival_number=numbering.next_arrival(arrival.unit.pk, now.year),
            created_by=actor,
        )
        for name, data in files:
            version = _add_version(document, data, name=name, kind=VersionKind.RECEIVED, user=actor)
            _schedule_text_extraction(version)
        _index(document)
        document.save()
        audit.record(
            "documents.registered",
            document,
            unit_id=document.unit_id,
            data={"arrival_number": document.arrival_number},
        )
        if arrival.external_id:
            report_status(document, "03", actor=actor)
    return document


def register_upload(arrival: Arrival, upload, *, actor, now=None) -> Document:
    checked = check_file(upload)
    return register_incoming(arrival, [(checked.name, checked.data)], actor=actor, now=now)


def register_email(unit: Unit, message_bytes: bytes, *, actor, doc_type="CV") -> Document:
    """A document received by e-mail: the .eml's first PDF or image attachment, its subject as
    the summary and its sender as the author (the clerk corrects the rest afterwards)."""
    message = email.message_from_bytes(message_bytes, policy=email.policy.default)
    files = []
    for part in message.iter_attachments():
        data = part.get_content() if part.get_content_maintype() != "text" else b""
        if isinstance(data, bytes) and data:
            checked = check_file(ContentFile(data, name=part.get_filename() or "tep-dinh-kem"))
            files.append((checked.name, checked.data))
    if not files:
        raise ValidationError({"file": _("Thư điện tử không có tệp PDF hoặc ảnh đính kèm.")})
    arrival = Arrival(
        unit=unit,
        doc_type=doc_type,
        subject=str(message["subject"] or ""),
        author=str(message["from"] or ""),
    )
    return register_incoming(arrival, files, actor=actor)


def import_package(unit: Unit, data: bytes, *, actor) -> Document:
    """An edXML package from an external system: new (0), recall (1), update (2), replace (3).

    Whatever the package does, the caller must be allowed to register documents at ``unit``,
    and every attachment must pass the file checker, before anything is written or flagged."""
    from .. import edxml

    _require(actor, lifecycle.REGISTER, unit)
    package = edxml.parse_package(data)
    envelope = package.envelope
    files = [
        (a.name, check_content(a.data, a.name, allowed=VERSION_TYPES).data)
        for a in package.attachments
    ]
    existing = Document.objects.filter(
        unit=unit, direction=Direction.INCOMING, external_id=envelope.document_id
    ).first()
    if envelope.business_type == 1:
        if existing is None:
            raise ValidationError(_("Không tìm thấy văn bản đến cần thu hồi."))
        with transaction.atomic():
            Document.objects.filter(pk=existing.pk).update(recall_requested=True)
            audit.record("documents.recall_requested", existing, unit_id=unit.pk, data={})
        return existing
    if envelope.business_type == 2 and existing is not None:
        with transaction.atomic():
            for name, content in files:
                _add_version(existing, content, name=name, kind=VersionKind.RECEIVED, user=actor)
            audit.record("documents.updated_by_sender", existing, unit_id=unit.pk, data={})
        return existing
    doc_type = next(
        (
            v
            for v, label in DocumentType.choices
            if fold(str(label)) == fold(envelope.document_type) or v == envelope.document_type
        ),
        "CV",
    )
    arrival = Arrival(
        unit=unit,
        doc_type=doc_type,
        subject=envelope.subject,
        author=envelope.sender.name,
        author_agency_id=envelope.sender.agency_id,
        notation=f"{envelope.number}/{envelope.notation}",
        issued_on=envelope.issued_on,
        urgency=min(envelope.priority, 3),
        external_id=envelope.document_id,
    )
    with transaction.atomic():
        document = register_incoming(arrival, files, actor=actor)
        if envelope.replaces:
            Document.objects.filter(
                unit=unit, direction=Direction.INCOMING, external_id=envelope.replaces
            ).update(recall_requested=True)
    return document
