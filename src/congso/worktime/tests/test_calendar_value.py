"""The Calendar value and the parsing of a unit's working hours."""

import datetime as dt

import pytest

from congso.worktime.deadlines import DEFAULT_PERIODS, Calendar, parse_periods


def test_default_calendar():
    calendar = Calendar()
    assert calendar.periods == DEFAULT_PERIODS
    assert calendar.day_length == dt.timedelta(hours=8)
    assert calendar.opening == dt.time(7) and calendar.closing == dt.time(17)


def test_sets_become_frozen_and_the_value_is_hashable():
    calendar = Calendar(days_off={dt.date(2026, 1, 2)}, working_days=[dt.date(2026, 1, 10)])
    assert isinstance(calendar.days_off, frozenset)
    assert isinstance(calendar.working_days, frozenset)
    assert hash(calendar) == hash(
        Calendar(days_off=[dt.date(2026, 1, 2)], working_days={dt.date(2026, 1, 10)})
    )


def test_a_date_cannot_be_both():
    with pytest.raises(ValueError):
        Calendar(days_off={dt.date(2026, 1, 2)}, working_days={dt.date(2026, 1, 2)})


@pytest.mark.parametrize(
    "periods",
    [
        (),
        ((dt.time(11), dt.time(7)),),
        ((dt.time(7), dt.time(12)), (dt.time(11), dt.time(17))),
        ((dt.time(13), dt.time(17)), (dt.time(7), dt.time(11))),
    ],
)
def test_bad_periods_are_refused(periods):
    with pytest.raises(ValueError):
        Calendar(periods=periods)


def test_parse_periods():
    assert parse_periods([["07:30", "11:30"], ["13:00", "16:30"]]) == (
        (dt.time(7, 30), dt.time(11, 30)),
        (dt.time(13), dt.time(16, 30)),
    )


@pytest.mark.parametrize(
    "value",
    [
        "07:00-11:30",
        [["07:00"]],
        [["7h", "11h"]],
        [[700, 1130]],
        [["13:30", "17:00"], ["07:00", "11:30"]],
        [],
        {"from": "07:00"},
    ],
)
def test_parse_periods_refuses_bad_values(value):
    with pytest.raises(ValueError):
        parse_periods(value)
