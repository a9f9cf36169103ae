"""Office hours: the next working instant, working time between two instants, custom periods."""

import datetime as dt

import pytest

from congso.worktime.deadlines import (
    Calendar,
    closing_instant,
    is_working_instant,
    next_working_instant,
    working_time_between,
)

from .helpers import NEW_YEAR_2026, PLAIN, TZ, at, day

H = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        ("2026-03-02 09:00", "2026-03-02 09:00"),
        ("2026-03-02 07:00", "2026-03-02 07:00"),
        ("2026-03-02 06:59", "2026-03-02 07:00"),
        ("2026-03-02 11:30", "2026-03-02 13:30"),
        ("2026-03-02 13:29", "2026-03-02 13:30"),
        ("2026-03-02 16:59", "2026-03-02 16:59"),
        ("2026-03-02 17:00", "2026-03-03 07:00"),
        ("2026-03-06 18:00", "2026-03-09 07:00"),
        ("2026-03-07 09:00", "2026-03-09 07:00"),
        ("2026-02-13 17:30", "2026-02-23 07:00"),
        ("2026-08-21 17:30", "2026-08-22 07:00"),
        ("2026-08-28 17:30", "2026-09-03 07:00"),
    ],
)
def test_next_working_instant(instant, expected):
    assert next_working_instant(PLAIN, at(instant)) == at(expected)


def test_next_working_instant_honours_exceptions():
    assert next_working_instant(NEW_YEAR_2026, at("2025-12-31 18:00")) == at("2026-01-05 07:00")
    assert next_working_instant(NEW_YEAR_2026, at("2026-01-09 18:00")) == at("2026-01-10 07:00")


def test_next_working_instant_keeps_seconds_and_converts_zone():
    instant = dt.datetime(2026, 3, 2, 3, 15, 42, tzinfo=dt.UTC)
    assert next_working_instant(PLAIN, instant) == dt.datetime(2026, 3, 2, 10, 15, 42, tzinfo=TZ)
    assert next_working_instant(PLAIN, instant).utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-03-02 09:00", "2026-03-02 10:00", H),
        ("2026-03-02 11:00", "2026-03-02 14:00", H),  # lunch not counted
        ("2026-03-02 16:00", "2026-03-03 08:00", 2 * H),  # overnight not counted
        ("2026-03-02 07:00", "2026-03-02 17:00", 8 * H),
        ("2026-03-02 00:00", "2026-03-09 00:00", 40 * H),  # one week
        ("2026-02-13 16:00", "2026-02-23 08:00", 2 * H),  # Tết 2026
        ("2026-03-07 08:00", "2026-03-08 16:00", dt.timedelta()),  # weekend
        ("2026-03-02 12:00", "2026-03-02 13:00", dt.timedelta()),  # inside lunch
        ("2026-03-02 10:00", "2026-03-02 09:00", -H),  # reversed
    ],
)
def test_working_time_between(start, end, expected):
    assert working_time_between(PLAIN, at(start), at(end)) == expected


def test_working_time_between_on_swapped_saturday():
    assert working_time_between(PLAIN, at("2026-08-22 00:00"), at("2026-08-23 00:00")) == 8 * H


def test_is_working_instant_includes_closing_time():
    assert is_working_instant(PLAIN, at("2026-03-02 17:00"))
    assert is_working_instant(PLAIN, at("2026-03-02 11:30"))
    assert not is_working_instant(PLAIN, at("2026-03-02 12:00"))
    assert not is_working_instant(PLAIN, at("2026-03-07 09:00"))


def test_custom_periods_are_used():
    mornings = Calendar(periods=((dt.time(7, 30), dt.time(11, 30)),), same_day_cutoff=dt.time(10))
    assert mornings.day_length == 4 * H
    assert closing_instant(mornings, day("2026-03-02")) == at("2026-03-02 11:30")
    assert next_working_instant(mornings, at("2026-03-02 12:00")) == at("2026-03-03 07:30")
    assert working_time_between(mornings, at("2026-03-02 00:00"), at("2026-03-03 00:00")) == 4 * H
