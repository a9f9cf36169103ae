"""The ``ict`` provider on a hand-built data set with known answers."""

import datetime as dt
from decimal import Decimal

import pytest

from congso.accounts.models import Position, Role
from congso.core import figures as dashboard
from congso.ict import figures
from congso.ict.models import Equipment, Investment, ItStaff, Training

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


@pytest.fixture
def data(tree, official_at):
    district, a, b = tree["district"], tree["commune_a"], tree["commune_b"]
    Equipment.objects.create(
        unit=district,
        computers=100,
        dual_stack="full",
        ipv6_check_result="pass",
        ipv6_checked_on=dt.date(2025, 3, 1),
    )
    Equipment.objects.create(
        unit=a,
        computers=20,
        dual_stack="full",
        ipv6_check_result="fail",
        ipv6_checked_on=dt.date(2025, 3, 1),
    )
    Equipment.objects.create(
        unit=b,
        computers=15,
        dual_stack="full",
        ipv6_check_result="pass",
        ipv6_checked_on=dt.date(2026, 2, 1),
    )  # checked after the period
    Equipment.objects.create(unit=tree["department"], computers=5)
    two_hats = official_at(district, Role.LEADER)
    Position.objects.create(
        user=two_hats, unit=tree["department"], role=Role.SPECIALIST, valid_from=dt.date(2020, 1, 1)
    )
    official_at(a, Role.SPECIALIST)
    gone = official_at(b, Role.SPECIALIST)
    Position.objects.update(valid_from=dt.date(2020, 1, 1))
    Position.objects.filter(user=gone).update(valid_until=dt.date(2025, 6, 30))
    ItStaff.objects.create(unit=district, name="A", since=dt.date(2022, 1, 1))
    ItStaff.objects.create(unit=a, name="B", since=dt.date(2025, 12, 31))
    ItStaff.objects.create(unit=b, name="C", since=dt.date(2020, 1, 1), until=dt.date(2024, 12, 31))
    Training.objects.create(
        unit=district, date=dt.date(2025, 6, 1), course="X", hours=Decimal("16"), participants=50
    )
    Training.objects.create(
        unit=a, date=dt.date(2025, 12, 31), course="Y", hours=Decimal("2.5"), participants=4
    )
    Training.objects.create(
        unit=a, date=dt.date(2026, 1, 1), course="Z", hours=Decimal("8"), participants=10
    )
    Investment.objects.create(unit=district, year=2025, item="I", planned=500, spent=400)
    Investment.objects.create(unit=b, year=2025, item="J", planned=100, spent=0)
    Investment.objects.create(unit=b, year=2024, item="K", planned=70, spent=70)
    return tree  # fmt: skip


def test_the_whole_district_in_2025(data):
    ids = [unit.pk for unit in data.values() if unit.kind != "province"]
    got = dashboard.figures("ict", ids, START, END)
    assert got == {
        "computers": 140,
        "officials_at_units": 2,  # the leader with two positions once; one left on 30/06
        "units": 3,  # district and two communes (offices are not counted)
        "units_ipv6_ready": 1,  # commune A failed, commune B was checked after the period
        "it_staff": 2,
        "training_hours": Decimal("810.0"),  # 16 × 50 + 2.5 × 4
        "investment_planned": 600,
        "investment_spent": 400,
    }


def test_a_period_crossing_the_year(data):
    got = figures.provide([data["commune_b"].pk], dt.date(2024, 7, 1), dt.date(2025, 3, 31))
    assert got["investment_planned"] == 170 and got["investment_spent"] == 70
    assert got["it_staff"] == 1
    assert got["officials_at_units"] == 1


def test_nothing_recorded_is_zero(tree):
    got = figures.provide([tree["commune_a"].pk], START, END)
    assert got["computers"] == 0 and got["units"] == 1 and got["training_hours"] == 0
