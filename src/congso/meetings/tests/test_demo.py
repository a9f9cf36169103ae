"""The demo year: weekly briefings with every commune, absences, minutes, late tasks; fast and
idempotent."""

import time

import pytest

from congso.demo import accounts as accounts_demo
from congso.demo import meetings as demo
from congso.demo import org as org_demo
from congso.meetings.models import Attendance, Meeting, Task
from congso.org.services import communes_of

pytestmark = pytest.mark.django_db


def test_a_year_of_briefings_in_under_ten_seconds():
    units = org_demo.load()
    loaded = {"units": units, "people": accounts_demo.load(units)}
    began = time.monotonic()
    demo.load(loaded)
    elapsed = time.monotonic() - began
    assert elapsed < 10, elapsed
    meetings = Meeting.objects.filter(series=demo.SERIES)
    assert 48 <= meetings.count() <= 57
    communes = communes_of(units["district"]).count()
    first = meetings.order_by("start").first()
    assert first.invitations.count() == communes == 23
    assert Attendance.objects.filter(status="absent").exists()
    assert Attendance.objects.filter(status="late").exists()
    assert (
        meetings.filter(state="minutes_approved", minutes__approved_at__isnull=False).count() > 40
    )
    assert meetings.filter(state="scheduled").exists()
    done = [t for t in Task.objects.filter(state="done")]
    assert any(t.on_time is False for t in done) and any(t.on_time for t in done)
    assert Task.objects.filter(state="overdue").exists()
    demo.load(loaded)
    assert Meeting.objects.filter(series=demo.SERIES).count() == meetings.count()
