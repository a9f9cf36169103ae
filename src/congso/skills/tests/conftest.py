"""Skills fixtures: a specialist in each test commune, the district leader (who reaches both),
and a programme of the district running through last year."""

import datetime as dt

import pytest
from django.utils import timezone

from congso.accounts.models import Role
from congso.skills import services


@pytest.fixture
def people(tree, official_at):
    return {
        "leader": official_at(tree["district"], Role.LEADER, full_name="Nguyễn Lãnh Đạo"),
        "commune_a": official_at(tree["commune_a"], Role.SPECIALIST, full_name="Lê Xã A"),
        "commune_b": official_at(tree["commune_b"], Role.SPECIALIST, full_name="Phạm Xã B"),
    }


@pytest.fixture
def year_start():
    """1 January of last year: every day of that year is already past."""
    return dt.date(timezone.localdate().year - 1, 1, 1)


@pytest.fixture
def programme(tree, people, year_start):
    return services.create_programme(
        actor=people["leader"],
        unit=tree["district"],
        name="Phổ cập kỹ năng số",
        start=year_start,
        end=dt.date(year_start.year, 12, 31),
        target=500,
    )


@pytest.fixture
def record(programme, people, tree, year_start):
    """``record(commune_key, topic, attendance, day=year_start, **extra)`` → a session."""

    def make(commune="commune_a", topic="internet", attendance=10, day=None, **extra):
        fields = {
            "actor": people[commune],
            "programme": programme,
            "unit": tree[commune],
            "topic": topic,
            "date": day or year_start,
            "place": "Nhà văn hoá xóm 1",
            "trainer": "Đoàn Thanh niên",
            "attendance": attendance,
        } | extra
        return services.record_session(**fields)

    return make
