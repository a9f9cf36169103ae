"""The ``meetings`` figures for the digital-transformation dashboard (``congso.core.figures``).

For the units ``unit_ids`` (a unit and its subtree) and the inclusive local dates start … end:

* ``communes`` — active commune-level units among them; ``communes_with_working_endpoint`` —
  of those, the ones whose endpoint passed its last connection test (a state, not a flow);
* ``meetings_held`` — meetings they hosted that started in the period and took place (ended,
  or minutes approved);
* ``attendance_expected`` / ``attendance_present`` — their invitations to meetings held in the
  period, and of those the invited units present or late at the roll call;
* ``tasks_due`` / ``tasks_done_on_time`` — tasks assigned to them due in the period, and of
  those the ones completed by the end of the due date.
"""

import datetime as dt
from collections.abc import Sequence

from django.db.models import F
from django.utils import timezone

from congso.org.choices import COMMUNE_LEVEL_KINDS
from congso.org.services import units

from .lifecycle import MeetingState
from .models import (
    Attendance,
    AttendanceStatus,
    ConnectionResult,
    Endpoint,
    Invitation,
    Meeting,
    Task,
)

HELD = [MeetingState.ENDED, MeetingState.MINUTES_APPROVED]


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware instants [first midnight, midnight after the last day)."""
    first = dt.datetime.combine(start, dt.time())
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    return timezone.make_aware(first), timezone.make_aware(after)


def figures(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, int]:
    ids = list(unit_ids)
    begin, finish = _bounds(start, end)
    communes = units().filter(pk__in=ids, kind__in=COMMUNE_LEVEL_KINDS).active(end)
    working = Endpoint.objects.filter(
        unit__in=communes, last_test_result=ConnectionResult.OK
    ).count()
    held = Meeting.objects.filter(start__gte=begin, start__lt=finish, state__in=HELD)
    invitations = Invitation.objects.filter(unit_id__in=ids, meeting__in=held)
    present = Attendance.objects.filter(
        unit_id__in=ids,
        meeting__in=held,
        status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE],
    ).filter(meeting__invitations__unit=F("unit"))
    tasks = Task.objects.filter(unit_id__in=ids, due_date__gte=start, due_date__lte=end)
    done = tasks.exclude(completed_at=None).values_list("completed_at", "due_date")
    return {
        "communes": communes.count(),
        "communes_with_working_endpoint": working,
        "meetings_held": held.filter(host_unit_id__in=ids).count(),
        "attendance_expected": invitations.count(),
        "attendance_present": present.distinct().count(),
        "tasks_due": tasks.count(),
        "tasks_done_on_time": sum(
            1 for completed, due in done if timezone.localdate(completed) <= due
        ),
    }
