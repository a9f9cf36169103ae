"""The clock's pure rules: a pause for the applicant, steps fitted inside the dossier, "about to
be late". Legal basis in ``deadlines``: Decree 61/2018/NĐ-CP and Decree 118/2025/NĐ-CP (waiting
for the applicant is not processing time; the steps share the procedure's time limit),
Circular 01/2018/TT-VPCP (forms 04 and 06)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congso.worktime.deadlines import (
    TimeUnit,
    allotment,
    due_soon,
    resumed_due,
    shift_working_time,
    step_due,
    working_time_between,
)

from .helpers import PLAIN, at

WD, WH, SD = TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.SAME_DAY
HOUR = dt.timedelta(hours=1)


def test_a_pause_keeps_the_working_time_that_was_left():
    # due Thursday 17:00; stopped Monday 10:00 with 3 days 7 h of office time left
    due, stopped = at("2026-03-05 17:00"), at("2026-03-02 10:00")
    resumed = at("2026-03-10 10:00")  # the citizen answers a week later
    new_due = resumed_due(PLAIN, stopped, due, resumed)
    assert new_due == at("2026-03-13 17:00")
    assert working_time_between(PLAIN, resumed, new_due) == working_time_between(
        PLAIN, stopped, due
    )


def test_a_dossier_late_when_stopped_stays_late_by_as_much():
    due, stopped = at("2026-03-05 17:00"), at("2026-03-06 09:00")  # two office hours late
    new_due = resumed_due(PLAIN, stopped, due, at("2026-03-10 09:00"))
    assert new_due == at("2026-03-10 07:00")


def test_going_back_crosses_lunch_weekends_and_holidays():
    # Tuesday 24/02/2026 08:00 back 3 h: Monday 23/02 is a working day, 16–20/02 is Tết
    assert shift_working_time(PLAIN, at("2026-02-24 08:00"), -3 * HOUR) == at("2026-02-23 15:00")
    assert shift_working_time(PLAIN, at("2026-02-23 08:00"), -2 * HOUR) == at("2026-02-13 16:00")
    assert shift_working_time(PLAIN, at("2026-03-02 14:00"), -HOUR) == at("2026-03-02 11:00")


@given(
    start=st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 1)).map(
        lambda d: d.replace(tzinfo=PLAIN.time_zone, second=0, microsecond=0)
    ),
    minutes=st.integers(min_value=1, max_value=60 * 8 * 30),
)
def test_forward_then_back_returns_to_the_working_instant(start, minutes):
    amount = dt.timedelta(minutes=minutes)
    there = shift_working_time(PLAIN, start, amount)
    assert working_time_between(PLAIN, start, there) == amount
    back = shift_working_time(PLAIN, there, -amount)
    assert working_time_between(PLAIN, back, there) == amount


def test_the_last_step_ends_at_the_dossiers_due_instant():
    due = at("2026-03-05 17:00")
    assert step_due(PLAIN, at("2026-03-04 08:00"), 0, SD, dossier_due=due, reserved=None) == due


def test_earlier_steps_leave_room_for_the_later_ones():
    # 3-day procedure received Monday 09:00: specialist 2 days, leader 0.5 day, desk 0.5 day
    due = at("2026-03-05 17:00")
    reserved = allotment(PLAIN, Decimal("0.5"), WD) * 2
    specialist = step_due(PLAIN, at("2026-03-02 09:00"), 2, WD, dossier_due=due, reserved=reserved)
    assert specialist == at("2026-03-04 17:00")
    leader = step_due(
        PLAIN,
        specialist,
        Decimal("0.5"),
        WD,
        dossier_due=due,
        reserved=allotment(PLAIN, Decimal("0.5"), WD),
    )
    assert leader == at("2026-03-05 11:00")
    assert leader <= due


def test_a_step_allotted_more_than_the_dossier_has_left_is_cut():
    due = at("2026-03-05 17:00")
    cut = step_due(PLAIN, at("2026-03-04 09:00"), 5, WD, dossier_due=due, reserved=4 * HOUR)
    assert cut == at("2026-03-05 11:00")


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [(2, WD, 16 * HOUR), (Decimal("0.5"), WD, 4 * HOUR), (3, WH, 3 * HOUR), (0, SD, 0 * HOUR)],
)
def test_allotments_in_working_time(amount, unit, expected):
    assert allotment(PLAIN, amount, unit) == expected


@pytest.mark.parametrize(
    ("now", "soon"),
    [
        ("2026-03-04 17:00", True),  # due tomorrow 17:00: one working day left
        ("2026-03-04 16:59", False),  # a minute more than a working day left
        ("2026-03-06 09:00", True),  # already late
        ("2026-02-27 17:00", False),
    ],
)
def test_about_to_be_late_means_within_one_working_day(now, soon):
    assert due_soon(PLAIN, at(now), at("2026-03-05 17:00")) is soon
