"""Invariants of the deadline arithmetic, checked on generated receipt times and amounts."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congso.worktime.deadlines import (
    Calendar,
    TimeUnit,
    due_at,
    is_working_day,
    is_working_instant,
    next_working_instant,
    working_time_between,
)

from .helpers import NEW_YEAR_2026, PLAIN, TZ

pytestmark = pytest.mark.slow

received_times = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 20)
).map(lambda naive: naive.replace(tzinfo=TZ))
units = st.sampled_from(list(TimeUnit))
day_amounts = st.integers(min_value=0, max_value=40)
hour_amounts = st.decimals(min_value=0, max_value=200, places=2)
calendars = st.sampled_from([PLAIN, NEW_YEAR_2026])


def amounts_for(unit):
    return hour_amounts if unit is TimeUnit.WORKING_HOURS else day_amounts


cases = units.flatmap(lambda unit: st.tuples(st.just(unit), amounts_for(unit)))
fast = settings(max_examples=300, deadline=None)


@fast
@given(calendars, received_times, cases)
def test_due_is_not_before_counting_starts(calendar, received, case):
    unit, amount = case
    assert due_at(calendar, received, amount, unit) >= next_working_instant(calendar, received)


@fast
@given(calendars, received_times, cases)
def test_due_is_inside_working_time(calendar, received, case):
    unit, amount = case
    assert is_working_instant(calendar, due_at(calendar, received, amount, unit))


@fast
@given(calendars, received_times, hour_amounts)
def test_working_hours_are_exactly_consumed(calendar, received, hours):
    due = due_at(calendar, received, hours, TimeUnit.WORKING_HOURS)
    assert working_time_between(calendar, received, due) == dt.timedelta(
        microseconds=int(hours * 3_600_000_000)
    )


@fast
@given(
    calendars,
    received_times,
    st.timedeltas(min_value=dt.timedelta(), max_value=dt.timedelta(days=20)),
    cases,
)
def test_monotonic_in_received_at(calendar, received, later_by, case):
    unit, amount = case
    later = received + later_by
    assert due_at(calendar, received, amount, unit) <= due_at(calendar, later, amount, unit)


@fast
@given(received_times, cases, st.integers(min_value=0, max_value=60))
def test_adding_a_day_off_never_makes_a_due_date_earlier(received, case, offset):
    unit, amount = case
    extra = received.date() + dt.timedelta(days=offset)
    with_day_off = Calendar(days_off={extra})
    assert due_at(with_day_off, received, amount, unit) >= due_at(PLAIN, received, amount, unit)


@fast
@given(calendars, received_times, units, day_amounts)
def test_more_time_is_never_earlier(calendar, received, unit, amount):
    assert due_at(calendar, received, amount + 1, unit) >= due_at(calendar, received, amount, unit)


@fast
@given(calendars, received_times)
def test_next_working_instant_is_working_and_not_earlier(calendar, received):
    start = next_working_instant(calendar, received)
    assert start >= received
    assert is_working_instant(calendar, start)
    assert is_working_day(calendar, start.date())
    assert working_time_between(calendar, received, start) == dt.timedelta()


@fast
@given(calendars, received_times, received_times)
def test_working_time_is_additive(calendar, first, second):
    start, end = sorted([first, second])
    middle = start + (end - start) / 2
    assert working_time_between(calendar, start, end) == working_time_between(
        calendar, start, middle
    ) + working_time_between(calendar, middle, end)


@fast
@given(calendars, received_times, st.integers(min_value=0, max_value=30))
def test_working_days_match_the_count_of_working_days(calendar, received, amount):
    due = due_at(calendar, received, amount, TimeUnit.WORKING_DAYS)
    start = next_working_instant(calendar, received).date()
    counted = sum(
        is_working_day(calendar, start + dt.timedelta(days=n))
        for n in range(1, (due.date() - start).days + 1)
    )
    assert counted == amount
    assert is_working_day(calendar, due.date())


def test_decimal_and_int_amounts_agree():
    received = dt.datetime(2026, 3, 2, 9, tzinfo=TZ)
    assert due_at(PLAIN, received, Decimal(3), "working_days") == due_at(
        PLAIN, received, 3, "working_days"
    )
