"""What the calendar says for the days that matter in 2025–2027 (holidays package + exceptions)."""

import pytest

from congso.worktime.deadlines import DayKind, base_day_kind, day_kind, holiday_name, is_working_day

from .helpers import NEW_YEAR_2026, PLAIN, day

CASES = [
    # Tết 2025 (9-day break 25/01–02/02) and the 30/4–1/5 swap with Saturday 26/04
    ("2025-01-27", False),
    ("2025-01-31", False),
    ("2025-02-03", True),
    ("2025-04-26", True),
    ("2025-04-30", False),
    ("2025-05-01", False),
    ("2025-05-02", False),
    ("2025-09-01", False),
    ("2025-09-02", False),
    ("2025-09-03", True),
    # 2026: Tết Bính Ngọ 16–20/02, Hùng Kings observed on Monday, National Day swap with 22/08
    ("2026-01-01", False),
    ("2026-02-13", True),
    ("2026-02-16", False),
    ("2026-02-17", False),
    ("2026-02-20", False),
    ("2026-02-23", True),
    ("2026-04-26", False),
    ("2026-04-27", False),
    ("2026-04-30", False),
    ("2026-05-01", False),
    ("2026-08-22", True),
    ("2026-08-23", False),
    ("2026-08-31", False),
    ("2026-09-01", False),
    ("2026-09-02", False),
    ("2026-09-03", True),
    ("2026-11-24", False),
    # 2027: Tết Đinh Mùi (package estimate 04–10/02), labour day observed on Monday 03/05
    ("2027-02-03", True),
    ("2027-02-04", False),
    ("2027-02-10", False),
    ("2027-02-11", True),
    ("2027-04-30", False),
    ("2027-05-03", False),
    ("2027-05-04", True),
    ("2027-09-02", False),
    ("2027-09-03", False),
]


@pytest.mark.parametrize(("date", "working"), CASES)
def test_is_working_day(date, working):
    assert is_working_day(PLAIN, day(date)) is working


def test_new_year_2026_swap_comes_from_the_exceptions():
    assert is_working_day(PLAIN, day("2026-01-02")) is True
    assert is_working_day(PLAIN, day("2026-01-10")) is False
    assert is_working_day(NEW_YEAR_2026, day("2026-01-02")) is False
    assert is_working_day(NEW_YEAR_2026, day("2026-01-10")) is True


def test_plain_weekends_and_weekdays():
    assert is_working_day(PLAIN, day("2026-03-07")) is False  # Saturday
    assert is_working_day(PLAIN, day("2026-03-08")) is False  # Sunday
    assert is_working_day(PLAIN, day("2026-03-09")) is True


@pytest.mark.parametrize(
    ("date", "kind"),
    [
        ("2026-03-09", DayKind.WORKING),
        ("2026-03-07", DayKind.WEEKEND),
        ("2026-02-17", DayKind.HOLIDAY),
        ("2026-08-22", DayKind.SWAPPED),
        ("2026-08-31", DayKind.HOLIDAY),
        ("2026-04-26", DayKind.HOLIDAY),  # Hùng Kings on a Sunday, observed on Monday 27/04
    ],
)
def test_base_day_kind(date, kind):
    assert base_day_kind(day(date)) is kind


def test_day_kind_shows_exceptions():
    assert day_kind(NEW_YEAR_2026, day("2026-01-02")) is DayKind.DAY_OFF
    assert day_kind(NEW_YEAR_2026, day("2026-01-10")) is DayKind.SWAPPED
    assert day_kind(NEW_YEAR_2026, day("2026-01-05")) is DayKind.WORKING


def test_holiday_names_are_vietnamese():
    assert holiday_name(day("2026-02-17")) == "Tết Nguyên Đán"
    assert holiday_name(day("2026-09-02")) == "Quốc khánh"
    assert holiday_name(day("2026-03-09")) is None
