import datetime as dt

import pytest

from congso.demo import worktime as demo
from congso.worktime.deadlines import is_working_day
from congso.worktime.models import CalendarException, ExceptionKind
from congso.worktime.services import calendar_for

pytestmark = pytest.mark.django_db


def test_demo_calendar_matches_every_announcement_and_loads_once():
    demo.load({})
    demo.load({})
    calendar = calendar_for()
    for day, kind, _reason, _basis in demo.ANNOUNCED:
        assert is_working_day(calendar, day) is (kind == ExceptionKind.WORKING_DAY), day
    # what holidays 0.109 lacks: the New Year 2026 swap
    assert set(CalendarException.objects.values_list("date", "kind")) >= {
        (dt.date(2026, 1, 2), "day_off"),
        (dt.date(2026, 1, 10), "working_day"),
    }
    assert CalendarException.objects.filter(legal_basis__contains="12729/VPCP-KGVX").count() == 2
