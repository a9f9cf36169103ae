"""Reorganisation of units (org's ``unit_retiring`` / ``unit_merged`` hooks)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.periods import local_midnight

from ..lifecycle import IncomingState, OutgoingState
from ..models import Direction, Document, Recipient

#: Documents still being worked on: drafts not yet issued, incoming ones not yet handled.
OPEN_OUTGOING = [
    OutgoingState.DRAFT,
    OutgoingState.IN_REVIEW,
    OutgoingState.APPROVED,
    OutgoingState.SIGNED,
]


OPEN_INCOMING = [
    IncomingState.REGISTERED,
    IncomingState.PRESENTED,
    IncomingState.ASSIGNED,
    IncomingState.HANDLING,
]


def _open_documents():
    return Document.objects.filter(
        Q(direction=Direction.OUTGOING, state__in=OPEN_OUTGOING)
        | Q(direction=Direction.INCOMING, state__in=OPEN_INCOMING)
    )


def refuse_retirement_with_later_activity(sender, *, unit, successor, on, **kwargs) -> None:
    """A unit cannot end on a day before documents it drafted, registered or issued afterwards
    (Decree 30/2020/NĐ-CP: a register belongs to the organ that kept it on that day)."""
    after = local_midnight(on + dt.timedelta(days=1))
    later = Document.objects.filter(Q(unit=unit) | Q(drafting_unit=unit)).filter(
        Q(created_at__gte=after) | Q(received_at__gte=after) | Q(issued_on__gt=on)
    )
    if later.exists():
        raise ValidationError(
            _(
                "Đơn vị còn soạn thảo, tiếp nhận hoặc ban hành văn bản sau ngày %(day)s; không "
                "thể cho hết hiệu lực từ ngày đó."
            )
            % {"day": on.strftime("%d/%m/%Y")}
        )


def move_to_successor(sender, *, unit, successor, on, **kwargs) -> dict:
    """A merged unit's open documents continue at its successor: the organ, the drafting and
    the lead unit, the coordinating units and the recipients not yet sent to. Issued numbers,
    registers, versions and the status history keep the old unit (what happened)."""
    open_documents = _open_documents()
    moved = {
        "documents": open_documents.filter(unit=unit).update(unit=successor),
        "drafting": open_documents.filter(drafting_unit=unit).update(drafting_unit=successor),
        "lead": open_documents.filter(lead_unit=unit).update(lead_unit=successor),
        "recipients": Recipient.objects.filter(
            unit=unit, document__in=open_documents, delivered__isnull=True
        ).update(unit=successor),
    }
    links = Document.coordinators.through.objects
    coordinated = links.filter(unit_id=unit.pk, document__in=open_documents)
    ids = list(coordinated.values_list("document_id", flat=True))
    coordinated.delete()
    links.bulk_create(
        [links.model(document_id=pk, unit_id=successor.pk) for pk in ids], ignore_conflicts=True
    )
    moved["coordinators"] = len(ids)
    audit.record(
        "documents.reorganise",
        unit,
        unit_id=successor.pk,
        data={"successor": successor.pk, "on": on, **moved},
    )
    return moved
