"""Dispatch of an issued document: a copy in each platform unit's incoming register, an edXML
package handed to the exchange for external organs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.uploads import XML, inert

from .. import numbering, recipients
from ..lifecycle import IncomingState
from ..models import Direction, Document, Recipient, VersionKind
from .outcomes import tell_holders
from .status import _status, document_id
from .versions import _add_version, _index

if TYPE_CHECKING:
    from congso.org.models import Unit


def dispatch(document: Document, data: bytes, *, actor, now) -> None:
    """Platform units receive the document now; external organs get an edXML package. The
    recipient groups are expanded first, to the units in force today."""
    recipients.expand(document)
    for recipient in document.recipients.select_related("unit"):
        if recipient.unit_id:
            copy = _receive_copy(document, recipient.unit, data, user=actor, now=now)
            recipient.delivered = copy
            recipient.save(update_fields=["delivered"])
            _status(recipient, "01", at=now)
            _status(recipient, "03", at=now, description=_("Đã vào sổ văn bản đến"))
        else:
            _external_package(document, recipient, business_type=3 if document.replaces_id else 0)
    if document.replaces_id:
        Document.objects.filter(source_id=document.replaces_id).update(recall_requested=True)


def _receive_copy(source: Document, organ: Unit, data: bytes, *, user, now) -> Document:
    copy = Document.objects.create(
        direction=Direction.INCOMING,
        unit=organ,
        state=IncomingState.REGISTERED,
        doc_type=source.doc_type,
        subject=source.subject,
        urgency=source.urgency,
        author=source.unit.name,
        author_agency_id=source.unit.agency_id or "",
        notation=source.notation,
        issued_on=source.issued_on,
        signer=source.signer,
        signer_position=source.signer_position,
        source=source,
        external_id=document_id(source),
        received_at=now,
        arrival_number=numbering.next_arrival(organ.pk, now.year),
        body=source.body,
        created_by=user,
    )
    _add_version(
        copy,
        data,
        name=f"{source.notation.replace('/', '-')}.pdf",
        kind=VersionKind.RECEIVED,
        user=user,
    )
    _index(copy)
    copy.save()
    tell_holders(copy)
    audit.record(
        "documents.received",
        copy,
        unit_id=organ.pk,
        data={"arrival_number": copy.arrival_number, "source": source.pk},
    )
    return copy


def _external_package(document: Document, recipient: Recipient, *, business_type: int) -> None:
    from congso.notify.services import notify

    from .. import edxml

    version = document.current_version()
    envelope = edxml.Envelope(
        document_id=document_id(document),
        sender=edxml.Organ(document.unit.agency_id or "", document.unit.name),
        recipients=[edxml.Organ(recipient.agency_id, recipient.name)],
        number=numbering.format_number(document.number or 0),
        notation=document.notation.split("/", 1)[-1],
        place=document.place,
        issued_on=document.issued_on or timezone.localdate(),
        document_type=document.get_doc_type_display(),
        subject=document.subject,
        signer_name=str(document.signer or ""),
        signer_position=document.signer_position,
        priority=document.urgency,
        page_count=document.page_count,
        business_type=business_type,
        replaces=document_id(document.replaces) if document.replaces_id else "",
    )
    package = edxml.build_package(
        envelope, [edxml.Attachment(version.name, version.content_type, version.read())]
    )
    recipient.package.save(
        f"{document.pk}-{recipient.pk}-{business_type}.edxml",
        inert(package, "goi.edxml", allowed=(XML,)),
        save=False,
    )
    recipient.save(update_fields=["package"])
    from ..exchange import services as exchange

    carried = exchange.enqueue(
        "edoc",
        package,
        from_organ=document.unit.agency_id or "",
        to_organ=recipient.agency_id,
        edxml_id=envelope.document_id[:255],
        unit=document.unit,
        recipient=recipient,
        document=document,
    )
    if recipient.email and carried is None:  # by e-mail only where the axis does not carry it
        notify(
            recipient.email,
            "documents.dispatched",
            {
                "notation": document.notation,
                "subject": document.subject,
                "organ": document.unit.name,
                "organ_id": document.unit_id,  # its official address sends it (mailbox)
            },
            dedup_key=f"documents.dispatched:{recipient.pk}:{business_type}",
            attachments=[(version.name, version.read(), version.content_type)],
        )
