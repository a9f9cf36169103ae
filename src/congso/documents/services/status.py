"""edXML status messages (QCVN 102:2016): reported to the sender, brought back from partners."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.uploads import XML, inert

from .. import lifecycle
from ..lifecycle import OutgoingState
from ..models import Direction, Document, Recipient, StatusEntry
from .access import _require, organs_for


def document_id(document: Document) -> str:
    """edXML ``OrganId,yyyy/MM/dd,Notation``."""
    day = document.issued_on or timezone.localdate()
    return f"{document.unit.agency_id or ''},{day:%Y/%m/%d},{document.notation}"


def _status(
    recipient: Recipient, code: str, *, at=None, description="", staff_name=""
) -> StatusEntry:
    """Record a status; the recipient's current status is the latest by time, since messages
    from partners may be brought in out of order."""
    entry = StatusEntry.objects.create(
        recipient=recipient,
        code=code,
        at=at or timezone.now(),
        description=description[:300],
        staff_name=staff_name[:150],
    )
    latest = recipient.statuses.order_by("-at", "-pk").first()
    recipient.status = latest.code
    recipient.save(update_fields=["status"])
    return entry


def report_status(incoming: Document, code: str, *, actor=None) -> None:
    """Tell the sender where its document stands: on the platform, on the outgoing copy's
    recipient row; for an edXML partner, a status message stored for transfer."""
    recipient = Recipient.objects.filter(delivered=incoming).first()
    if recipient is not None:
        _status(recipient, code, staff_name=str(actor or ""))
        return
    if incoming.external_id and incoming.author_agency_id:
        from .. import edxml
        from ..exchange import services as exchange

        message = edxml.StatusMessage(
            document_id=incoming.external_id,
            sender=edxml.Organ(incoming.unit.agency_id or "", incoming.unit.name),
            recipient=edxml.Organ(incoming.author_agency_id, incoming.author),
            code=code,
            at=timezone.now(),
            staff_name=str(actor or ""),
            document_code=incoming.notation,
            promulgated_on=incoming.issued_on,
        )
        data = edxml.build_status(message)
        path = f"documents/edxml/status/{incoming.pk}-{code}.xml"
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, inert(data, path, allowed=(XML,)))
        exchange.enqueue(
            "status",
            data,
            from_organ=incoming.unit.agency_id or "",
            to_organ=incoming.author_agency_id,
            edxml_id=incoming.external_id[:255],
            unit=incoming.unit,
            document=incoming,
        )


#: A status message is a few hundred bytes; anything much larger is not one (callers read at
#: most one byte more than this from an upload).
STATUS_MAX_BYTES = 256 * 1024


_DISPATCHED = (OutgoingState.ISSUED, OutgoingState.RECALLED)


def import_status(data: bytes, *, actor, document: Document | None = None) -> StatusEntry:
    """A status message (edXML) an external partner sent back through the exchange axis, brought
    in by the clerk of the issuing organ. It must name one of our issued documents (``document``
    when the clerk uploads it on that document's page) and come from one of its recipients
    outside the platform; the same message twice is refused, so nothing is counted twice."""
    from .. import edxml

    if document is not None:
        _require(actor, lifecycle.REGISTER, document.unit)
    elif not organs_for(actor, lifecycle.REGISTER).exists():
        raise PermissionDenied(_("Bạn không có quyền nhập thông điệp trạng thái."))
    if len(data) > STATUS_MAX_BYTES:
        raise ValidationError(
            _("Tệp quá lớn để là thông điệp trạng thái edXML (tối đa %(limit)s KB).")
            % {"limit": STATUS_MAX_BYTES // 1024},
            code="too_big",
        )
    message = edxml.parse_status(data)
    outgoing = _status_document(message, document)
    _require(actor, lifecycle.REGISTER, outgoing.unit)
    return _record_status(outgoing, message)


def receive_status(data: bytes) -> StatusEntry:
    """A status message the exchange axis delivered to the issuing organ: recorded as one the
    clerk brought in, by the platform itself (the axis authenticated the sender's system)."""
    from .. import edxml

    message = edxml.parse_status(data)
    return _record_status(_status_document(message, None), message)


def _record_status(outgoing: Document, message) -> StatusEntry:
    with transaction.atomic():
        recipient = _status_sender(outgoing, message)
        if recipient.statuses.filter(code=message.code, at=message.at).exists():
            raise ValidationError(
                _("Thông điệp trạng thái này đã được nhập trước đó."), code="duplicate"
            )
        entry = _status(
            recipient,
            message.code,
            at=message.at,
            description=message.description,
            staff_name=message.staff_name,
        )
        audit.record(
            "documents.status_received",
            outgoing,
            unit_id=outgoing.unit_id,
            data={"code": message.code, "recipient": recipient.pk},
        )
    return entry


def _status_document(message, document: Document | None) -> Document:
    """The issued outgoing document a status message is about (by its edXML document ID)."""
    if document is not None:
        if document.state in _DISPATCHED and document_id(document) == message.document_id:
            return document
        raise ValidationError(
            _(
                "Thông điệp trạng thái này không phải của văn bản này: mã văn bản trong thông "
                "điệp là “%(id)s”."
            )
            % {"id": message.document_id},
            code="other_document",
        )
    candidates = Document.objects.filter(
        direction=Direction.OUTGOING,
        state__in=_DISPATCHED,
        notation=message.document_id.rsplit(",", 1)[-1],
    ).select_related("unit")
    found = next((d for d in candidates if document_id(d) == message.document_id), None)
    if found is None:
        raise ValidationError(
            _(
                "Không tìm thấy văn bản đi đã phát hành có mã “%(id)s” nêu trong thông điệp "
                "trạng thái."
            )
            % {"id": message.document_id},
            code="unknown_document",
        )
    return found


def _status_sender(outgoing: Document, message) -> Recipient:
    """The recipient outside the platform that sent the message, locked."""
    recipient = (
        outgoing.recipients.select_for_update()
        .filter(unit__isnull=True, agency_id=message.sender.agency_id)
        .exclude(agency_id="")
        .first()
    )
    if recipient is None:
        raise ValidationError(
            _(
                "Cơ quan gửi thông điệp (mã định danh “%(agency)s”) không có trong nơi nhận "
                "ngoài hệ thống của văn bản %(notation)s."
            )
            % {"agency": message.sender.agency_id, "notation": outgoing.notation},
            code="unknown_sender",
        )
    return recipient
