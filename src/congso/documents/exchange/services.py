"""The outbox and inbox of the document exchange. Every package and status message for an
organ outside the platform is queued here (in the transaction that made it) and sent by
``drain`` with retries and back-off; ``pull`` fetches what the axis holds for our organs,
keeps each message once (idempotent on the axis's message ID), records statuses at once and
leaves packages for the clerk to register (``register_received``) after answering "01 arrived".
With no transport configured nothing is queued: the files stay for the clerk to carry.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from congso.core import audit, outbox
from congso.org import services as org

from ..models import ExchangeMessage
from .base import TransportError
from .registry import get_transport

if TYPE_CHECKING:
    from congso.org.models import Unit

log = logging.getLogger(__name__)
Kind, State = ExchangeMessage.Kind, ExchangeMessage.State


def enqueue(kind: str, payload: bytes, *, from_organ: str, to_organ: str, **links):
    """Queue one message for the axis (``links``: ``edxml_id``, ``unit``, ``recipient``,
    ``document``); ``None`` when no transport is configured."""
    if not settings.CONGSO_EXCHANGE_TRANSPORT or not to_organ:
        return None
    message = ExchangeMessage.objects.create(
        direction=ExchangeMessage.Direction.OUT,
        message_id=uuid.uuid4().hex,
        kind=kind,
        state=State.PENDING,
        from_organ=from_organ,
        to_organ=to_organ,
        payload=payload,
        **links,
    )
    transaction.on_commit(_kick)
    return message


def _kick() -> None:
    from .. import tasks

    try:
        tasks.exchange_drain.delay()
    except Exception:  # the beat schedule drains within a minute
        log.warning("Không gửi được yêu cầu gửi thông điệp liên thông.", exc_info=True)


def drain(*, now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due, oldest first (``core.outbox``); counts of ``sent``, ``retry`` and
    ``failed``. Each message sent is audited with the axis's own identifier."""
    transport = get_transport()
    if transport is None:
        return {"sent": 0, "retry": 0, "failed": 0}
    now = now or timezone.now()

    def sent(message, axis_id):
        message.done_at = now
        audit.record(
            "documents.exchange_sent",
            message.document,
            unit_id=message.unit_id,
            object_type="documents.exchangemessage",
            object_id=str(message.pk),
            object_repr=message.message_id,
            data={"kind": message.kind, "to": message.to_organ, "axis_id": axis_id},
        )

    return outbox.drain(
        ExchangeMessage.objects.filter(direction=ExchangeMessage.Direction.OUT),
        order=("created_at", "pk"),
        send=lambda m: transport.send(m.from_organ, m.message_id, bytes(m.payload)),
        error=TransportError,
        max_attempts=settings.CONGSO_EXCHANGE_MAX_ATTEMPTS,
        now=now,
        limit=limit,
        sent=sent,
    )


def pull(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Fetch what waits at the axis for each of our organs; counts by outcome."""
    now = now or timezone.now()
    transport = get_transport()
    counts: dict[str, int] = {}
    if transport is None:
        return counts
    for unit in org.units().exclude(agency_id="").order_by("pk"):
        for kind in (Kind.STATUS, Kind.PACKAGE):
            try:
                waiting = transport.received(unit.agency_id, kind)
            except TransportError as exc:
                log.warning("exchange pull %s: %s", unit.agency_id, exc)
                counts["unreachable"] = counts.get("unreachable", 0) + 1
                break
            for item in waiting:
                outcome = _take(unit, item, now)
                counts[outcome] = counts.get(outcome, 0) + 1
                transport.acknowledge(unit.agency_id, item.axis_id)
    return counts


def _take(unit: Unit, item, now: dt.datetime) -> str:
    if ExchangeMessage.objects.filter(
        direction=ExchangeMessage.Direction.IN, message_id=item.axis_id, to_organ=unit.agency_id
    ).exists():
        return "duplicate"
    message = ExchangeMessage(
        direction=ExchangeMessage.Direction.IN,
        message_id=item.axis_id,
        kind=item.kind,
        from_organ=item.from_organ[:64],
        to_organ=unit.agency_id,
        unit=unit,
        payload=item.payload,
        created_at=now,
    )
    with transaction.atomic():
        if item.kind == Kind.STATUS:
            _take_status(message, now)
        else:
            _take_package(message, unit, now)
        message.save()
    return message.state


def _take_status(message: ExchangeMessage, now) -> None:
    from .. import services

    try:
        with transaction.atomic():
            entry = services.receive_status(bytes(message.payload))
    except ValidationError as exc:
        duplicate = getattr(exc, "code", "") == "duplicate"
        message.state = State.PROCESSED if duplicate else State.REFUSED
        message.last_error = "; ".join(exc.messages)[:500]
        return
    message.state, message.done_at = State.PROCESSED, now
    message.edxml_id = entry.recipient.document.notation[:255]
    message.document = entry.recipient.document
    message.recipient = entry.recipient


def _take_package(message: ExchangeMessage, unit: Unit, now) -> None:
    from .. import edxml

    try:
        package = edxml.parse_package(bytes(message.payload))
    except ValidationError as exc:
        message.state, message.last_error = State.REFUSED, "; ".join(exc.messages)[:500]
        return
    envelope = package.envelope
    message.state, message.edxml_id = State.RECEIVED, envelope.document_id[:255]
    arrived = edxml.StatusMessage(
        document_id=envelope.document_id,
        sender=edxml.Organ(unit.agency_id, unit.name),
        recipient=envelope.sender,
        code=edxml.StatusCode.ARRIVED,
        at=now,
        document_code=f"{envelope.number}/{envelope.notation}".strip("/"),
        promulgated_on=envelope.issued_on,
    )
    enqueue(
        Kind.STATUS,
        edxml.build_status(arrived),
        from_organ=unit.agency_id,
        to_organ=envelope.sender.agency_id,
        edxml_id=envelope.document_id[:255],
        unit=unit,
    )


def inbox(unit: Unit):
    """Packages received for ``unit`` that the clerk has not registered yet."""
    return ExchangeMessage.objects.filter(
        direction=ExchangeMessage.Direction.IN, kind=Kind.PACKAGE, unit=unit, state=State.RECEIVED
    )


def register_received(message: ExchangeMessage, *, actor):
    """The clerk registers a package the axis delivered, exactly as an uploaded one (same
    checks, same permission); the message is marked processed with its document."""
    from .. import services

    document = services.import_package(message.unit, bytes(message.payload), actor=actor)
    ExchangeMessage.objects.filter(pk=message.pk).update(
        state=State.PROCESSED, document=document, done_at=timezone.now()
    )
    return document
