"""Briefing fixtures: the ``tree`` district hosts, its office clerk is the secretary, the district
leader chairs, each commune has a specialist who answers for it."""

import datetime as dt

import pytest
from django.utils import timezone

from congso.accounts.models import Role
from congso.meetings import services


@pytest.fixture
def people(tree, official_at):
    return {
        "chair": official_at(tree["district"], Role.LEADER, full_name="Nguyễn Chủ Trì"),
        "clerk": official_at(tree["department"], Role.CLERK, full_name="Trần Thư Ký"),
        "commune_a": official_at(tree["commune_a"], Role.SPECIALIST, full_name="Lê Xã A"),
        "commune_b": official_at(tree["commune_b"], Role.SPECIALIST, full_name="Phạm Xã B"),
    }


def next_monday(hour=7, minute=30, weeks_ahead=1) -> dt.datetime:
    today = timezone.localdate()
    day = today + dt.timedelta(days=7 * weeks_ahead - today.weekday())
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def make_meeting(tree, people):
    """``make_meeting(**overrides)`` → a draft meeting of the district with both communes."""

    def make(**overrides):
        start = overrides.pop("start", next_monday())
        fields = {
            "actor": people["clerk"],
            "host_unit": tree["district"],
            "title": "Giao ban trực tuyến tuần",
            "chair": people["chair"],
            "secretary": people["clerk"],
            "start": start,
            "end": start + dt.timedelta(hours=2),
            "units": [tree["commune_a"], tree["commune_b"]],
            "agenda": [("Tình hình tuần qua", "Văn phòng"), ("Chuyển đổi số", "")],
        } | overrides
        return services.create_meeting(**fields)

    return make


@pytest.fixture
def scheduled(make_meeting, people):
    meeting = make_meeting()
    return services.transition(meeting, actor=people["clerk"], action="schedule")
