"""Reorganisation of units (org's ``unit_retiring`` / ``unit_merged`` hooks)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.periods import local_midnight

from ..lifecycle import MeetingState, TaskState
from ..models import (
    Attendance,
    Invitation,
    Meeting,
    Task,
)

#: Meetings not yet held and tasks not yet done: what a merged unit hands on.
UPCOMING = [MeetingState.DRAFT, MeetingState.SCHEDULED]


UNFINISHED_TASKS = [TaskState.OPEN, TaskState.IN_PROGRESS, TaskState.OVERDUE]


def refuse_retirement_with_later_activity(sender, *, unit, successor, on, **kwargs) -> None:
    """A unit cannot end on a day before a meeting it hosted or attended afterwards."""
    after = local_midnight(on + dt.timedelta(days=1))
    held = Meeting.objects.exclude(state__in=[*UPCOMING, MeetingState.CANCELLED])
    later = (
        held.filter(host_unit=unit, start__gte=after).exists()
        or Attendance.objects.filter(unit=unit, meeting__start__gte=after).exists()
    )
    if later:
        raise ValidationError(
            _(
                "Đơn vị còn chủ trì hoặc tham dự cuộc họp sau ngày %(day)s; không thể cho hết "
                "hiệu lực từ ngày đó."
            )
            % {"day": on.strftime("%d/%m/%Y")}
        )


def move_to_successor(sender, *, unit, successor, on, **kwargs) -> dict:
    """A merged unit's meetings not yet held are hosted by its successor, its invitations to
    them go to the successor (once: an invitation it already has stands) and its unfinished
    tasks are the successor's. Held meetings, attendance and minutes keep the old unit."""
    upcoming = Meeting.objects.filter(state__in=UPCOMING)
    invitations = Invitation.objects.filter(unit=unit, meeting__in=upcoming)
    already = invitations.filter(meeting__invitations__unit=successor)
    moved = {
        "meetings": upcoming.filter(host_unit=unit).update(host_unit=successor),
        "invitations_merged": already.count(),
    }
    already.delete()
    moved["invitations"] = invitations.update(unit=successor)
    tasks = Task.objects.filter(unit=unit, state__in=UNFINISHED_TASKS)
    moved["tasks"] = tasks.update(unit=successor)
    audit.record(
        "meetings.reorganise",
        unit,
        unit_id=successor.pk,
        data={"successor": successor.pk, "on": on, **moved},
    )
    return moved
