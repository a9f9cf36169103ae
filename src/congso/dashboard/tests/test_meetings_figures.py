"""The ``meetings`` provider on a hand-built set: communes with a working endpoint, meetings
held, attendance of invited units and tasks done on time, for a unit's subtree and a period."""

import datetime as dt

from congso.accounts.tests.factories import OfficialFactory
from congso.core import figures
from congso.meetings.lifecycle import MeetingState, TaskState
from congso.meetings.models import (
    Attendance,
    Conclusion,
    ConnectionResult,
    Endpoint,
    Invitation,
    Meeting,
    Task,
)
from congso.org.models import COMMUNE_LEVEL_KINDS, Unit

from .conftest import at


def meeting(host, chair, start, state=MeetingState.ENDED, name="g"):
    return Meeting.objects.create(
        host_unit=host,
        title="Giao ban",
        chair=chair,
        start=start,
        end=start + dt.timedelta(hours=2),
        video_room=f"room-{name}-{start:%Y%m%d%H}",
        state=state,
    )


def test_meetings_figures(district, long, my):
    chair = OfficialFactory()
    Endpoint.objects.create(unit=long, room="Hội trường", last_test_result=ConnectionResult.OK)
    Endpoint.objects.create(unit=my, room="Hội trường", last_test_result=ConnectionResult.FAILED)
    held = meeting(district, chair, at(2026, 3, 2))
    meeting(district, chair, at(2026, 3, 9), MeetingState.CANCELLED, "c")
    meeting(district, chair, at(2026, 4, 6), name="a")  # outside the period
    for unit in (long, my):
        Invitation.objects.create(meeting=held, unit=unit)
    Attendance.objects.create(meeting=held, unit=long, status="late")
    Attendance.objects.create(meeting=held, unit=my, status="absent")
    conclusion = Conclusion.objects.create(meeting=held, text="Đẩy mạnh hồ sơ trực tuyến")
    Task.objects.create(
        conclusion=conclusion, unit=long, due_date=dt.date(2026, 3, 20),
        state=TaskState.DONE, completed_at=at(2026, 3, 20, 16),
    )  # fmt: skip
    Task.objects.create(
        conclusion=conclusion, unit=my, due_date=dt.date(2026, 3, 20),
        state=TaskState.DONE, completed_at=at(2026, 3, 21, 8),
    )  # fmt: skip
    Task.objects.create(conclusion=conclusion, unit=my, due_date=dt.date(2026, 3, 25))

    ids = list(Unit.objects.subtree(district).values_list("pk", flat=True))
    communes = Unit.objects.subtree(district).filter(kind__in=COMMUNE_LEVEL_KINDS).active()
    got = figures.figures("meetings", ids, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert got == {
        "communes": communes.count(),
        "communes_with_working_endpoint": 1,
        "meetings_held": 1,
        "attendance_expected": 2,
        "attendance_present": 1,
        "tasks_due": 3,
        "tasks_done_on_time": 1,
    }
    mine = figures.figures("meetings", [my.pk], dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert mine["communes"] == 1 and mine["communes_with_working_endpoint"] == 0
    assert mine["attendance_present"] == 0 and mine["tasks_due"] == 2
