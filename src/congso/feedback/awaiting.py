"""Complaints and petitions waiting for an answer, for the inbox (``core.awaiting``): those
assigned to the official, and those of the units they handle that nobody has taken yet."""

from django.db.models import Q

from congso.core.awaiting import Batch

from .lifecycle import ComplaintState
from .models import Complaint
from .services import complaint_item, handling_units

OPEN = (ComplaintState.RECEIVED, ComplaintState.ASSIGNED)


def awaiting(user, limit: int) -> Batch:
    if not user.is_authenticated or not user.is_official:
        return Batch()
    unassigned = Q(assignee__isnull=True, unit__in=handling_units(user))
    complaints = Complaint.objects.filter(Q(assignee=user) | unassigned, state__in=OPEN)
    count = complaints.count()
    if not limit or not count:
        return Batch(count)
    return Batch(count, [complaint_item(c) for c in complaints.order_by("due_at")[:limit]])
