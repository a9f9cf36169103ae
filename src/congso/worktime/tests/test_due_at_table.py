"""Due dates over 2025–2027: Tết, National Day and its swapped Saturday, 30/4–1/5, the 15:00
rule, filing outside office hours, calendar-day roll-forward, working hours across lunch and
overnight."""

import datetime as dt
from decimal import Decimal

import pytest

from congso.worktime.deadlines import TimeUnit, due_at

from .helpers import NEW_YEAR_2026, PLAIN, TZ, at

WD, CD, WH, SD = (
    TimeUnit.WORKING_DAYS,
    TimeUnit.CALENDAR_DAYS,
    TimeUnit.WORKING_HOURS,
    TimeUnit.SAME_DAY,
)

CASES = [
    # Tết 2026 (16–20/02)
    ("tết 2026 working days", "2026-02-13 09:00", 3, WD, "2026-02-25 17:00"),
    ("tết 2026 same day after 15:00", "2026-02-13 16:30", 0, SD, "2026-02-23 17:00"),
    ("tết 2026 calendar days roll forward", "2026-02-12 10:00", 5, CD, "2026-02-23 17:00"),
    ("tết 2026 hours over the break", "2026-02-13 16:00", 4, WH, "2026-02-23 10:00"),
    ("filed online during tết 2026", "2026-02-17 10:00", 1, WD, "2026-02-24 17:00"),
    # Tết 2027 (04–10/02, package estimate)
    ("tết 2027 working days", "2027-02-03 10:00", 2, WD, "2027-02-12 17:00"),
    ("tết 2027 same day after 15:00", "2027-02-03 15:30", 0, SD, "2027-02-11 17:00"),
    # National Day 2026: Saturday 22/08 is a working day, 31/08–02/09 off
    ("national day 2026 swapped saturday counts", "2026-08-21 10:00", 1, WD, "2026-08-22 17:00"),
    ("national day 2026 break", "2026-08-28 14:00", 2, WD, "2026-09-04 17:00"),
    ("filed on the swapped saturday", "2026-08-22 10:00", 0, SD, "2026-08-22 17:00"),
    ("national day 2026 calendar days", "2026-08-27 10:00", 4, CD, "2026-09-03 17:00"),
    # 30/4–1/5
    ("30/4 2026", "2026-04-29 10:00", 1, WD, "2026-05-04 17:00"),
    ("30/4 2025 swapped saturday 26/04", "2025-04-25 10:00", 3, WD, "2025-04-29 17:00"),
    ("30/4 2025 calendar days land on 02/05", "2025-04-29 10:00", 3, CD, "2025-05-05 17:00"),
    ("1/5 2027 observed on monday", "2027-04-29 10:00", 1, WD, "2027-05-04 17:00"),
    ("hùng kings 2026 observed on monday", "2026-04-24 10:00", 1, WD, "2026-04-28 17:00"),
    ("vietnam culture day 2026", "2026-11-23 10:00", 1, WD, "2026-11-25 17:00"),
    # the 15:00 rule
    ("same day before 15:00", "2026-03-02 14:59", 0, SD, "2026-03-02 17:00"),
    ("same day at 15:00 sharp", "2026-03-02 15:00", 0, SD, "2026-03-02 17:00"),
    ("same day after 15:00", "2026-03-02 15:01", 0, SD, "2026-03-03 17:00"),
    ("same day friday after 15:00", "2026-03-06 15:30", 0, SD, "2026-03-09 17:00"),
    ("same day in the lunch break", "2026-03-02 11:45", 0, SD, "2026-03-02 17:00"),
    ("same day after closing", "2026-03-02 17:10", 0, SD, "2026-03-03 17:00"),
    # outside office hours
    ("before opening", "2026-03-02 06:15", 1, WH, "2026-03-02 08:00"),
    ("in the lunch break", "2026-03-02 12:00", 1, WH, "2026-03-02 14:30"),
    ("after closing", "2026-03-02 17:45", 1, WH, "2026-03-03 08:00"),
    ("at closing time", "2026-03-02 17:00", 1, WH, "2026-03-03 08:00"),
    ("on a saturday", "2026-03-07 10:00", 2, WH, "2026-03-09 09:00"),
    ("working days from a sunday", "2026-03-08 10:00", 1, WD, "2026-03-10 17:00"),
    # working hours
    ("across lunch", "2026-03-02 10:30", 2, WH, "2026-03-02 14:30"),
    ("ends at lunch", "2026-03-02 10:30", 1, WH, "2026-03-02 11:30"),
    ("overnight", "2026-03-02 16:00", 3, WH, "2026-03-03 09:00"),
    ("a whole day", "2026-03-02 07:00", 8, WH, "2026-03-02 17:00"),
    ("several days", "2026-03-02 09:00", 20, WH, "2026-03-04 15:00"),
    ("over a weekend", "2026-03-06 16:00", 8, WH, "2026-03-09 16:00"),
    ("half an hour", "2026-03-02 11:15", Decimal("0.5"), WH, "2026-03-02 13:45"),
    ("zero hours", "2026-03-02 12:00", 0, WH, "2026-03-02 13:30"),
    # working and calendar days
    ("three working days", "2026-03-02 09:00", 3, WD, "2026-03-05 17:00"),
    ("zero working days", "2026-03-02 09:00", 0, WD, "2026-03-02 17:00"),
    # less than a day: that share of the working day from receipt (issue 15, item 1)
    ("half a working day", "2026-03-02 09:00", Decimal("0.5"), WD, "2026-03-02 15:00"),
    ("half a day received late", "2026-03-02 16:00", Decimal("0.5"), WD, "2026-03-03 10:00"),
    ("a day and a half", "2026-03-02 09:00", Decimal("1.5"), WD, "2026-03-04 11:00"),
    ("fifteen working days", "2026-03-02 09:00", 15, WD, "2026-03-23 17:00"),
    ("calendar days land on sunday", "2026-03-04 10:00", 4, CD, "2026-03-09 17:00"),
    ("calendar days land on a working day", "2026-03-02 10:00", 3, CD, "2026-03-05 17:00"),
]


@pytest.mark.parametrize(
    ("received", "amount", "unit", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_due_at(received, amount, unit, expected):
    due = due_at(PLAIN, at(received), amount, unit)
    assert due == at(expected)
    assert due.tzinfo is TZ


@pytest.mark.parametrize(
    ("received", "amount", "unit", "plain", "with_swap"),
    [
        ("2025-12-31 10:00", 1, WD, "2026-01-02 17:00", "2026-01-05 17:00"),
        ("2026-01-09 15:30", 0, SD, "2026-01-12 17:00", "2026-01-10 17:00"),
        ("2026-01-09 16:00", 2, WH, "2026-01-12 08:00", "2026-01-10 08:00"),
    ],
)
def test_new_year_2026_exceptions_change_due_dates(received, amount, unit, plain, with_swap):
    assert due_at(PLAIN, at(received), amount, unit) == at(plain)
    assert due_at(NEW_YEAR_2026, at(received), amount, unit) == at(with_swap)


def test_input_in_another_zone_comes_back_in_local_time():
    received = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội
    due = due_at(PLAIN, received, 3, "working_days")
    assert due.isoformat() == "2026-03-05T17:00:00+07:00"


def test_unit_may_be_given_as_its_string_value():
    assert due_at(PLAIN, at("2026-03-02 10:30"), 2, "working_hours") == at("2026-03-02 14:30")


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(-1, WD), (Decimal("NaN"), WH), ("3", WD), (True, WD), (Decimal("1.5"), CD), (1, "weeks")],
)
def test_bad_amounts_and_units_are_refused(amount, unit):
    with pytest.raises(ValueError):
        due_at(PLAIN, at("2026-03-02 09:00"), amount, unit)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        due_at(PLAIN, dt.datetime(2026, 3, 2, 9, 0), 1, WD)
