"""Figures of the documents app for the dashboard (keys in ``docs/documents.md``)."""

import datetime as dt

from django.db.models import F, Q

from .lifecycle import IncomingState, OutgoingState
from .models import Direction, Document, VersionKind


def provide(unit_ids, start: dt.date, end: dt.date) -> dict:
    documents = Document.objects.filter(unit_id__in=unit_ids)
    issued = documents.filter(
        direction=Direction.OUTGOING,
        state__in=[OutgoingState.ISSUED, OutgoingState.RECALLED],
        issued_on__range=(start, end),
    )
    incoming = documents.filter(
        direction=Direction.INCOMING, received_at__date__range=(start, end)
    ).exclude(state=IncomingState.REFUSED)
    done = incoming.filter(state=IncomingState.DONE)
    on_time = done.filter(Q(due_on__isnull=True) | Q(done_at__date__lte=F("due_on")))
    overdue = documents.filter(
        direction=Direction.INCOMING,
        state__in=[IncomingState.ASSIGNED, IncomingState.HANDLING],
        due_on__lt=end,
        received_at__date__lte=end,
    )
    return {
        "outgoing_issued": issued.count(),
        "outgoing_electronic": issued.filter(versions__kind=VersionKind.ISSUED).distinct().count(),
        "outgoing_signed": issued.filter(versions__signed_file__isnull=False).distinct().count(),
        "incoming_received": incoming.count(),
        "incoming_done": done.count(),
        "incoming_done_on_time": on_time.count(),
        "incoming_overdue": overdue.count(),
    }
