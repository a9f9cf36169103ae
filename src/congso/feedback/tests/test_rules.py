"""Answer deadlines in working days, complaint codes, periods and overdue — pure functions."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from congso.feedback import rules
from congso.worktime.deadlines import Calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def calendar():
    return Calendar(time_zone=VN)


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)


def test_ten_working_days_skip_two_weekends(calendar):
    # Monday 9 March 2026 09:00 → the close of Monday 23 March (10 working days after the day)
    assert rules.answer_due(calendar, at(2026, 3, 9, 9), 10) == at(2026, 3, 23, 17)


def test_filed_on_saturday_counts_from_monday(calendar):
    assert rules.answer_due(calendar, at(2026, 3, 14, 10), 1) == at(2026, 3, 17, 17)


def test_filed_after_hours_counts_from_the_next_morning(calendar):
    assert rules.answer_due(calendar, at(2026, 3, 9, 18), 1) == at(2026, 3, 11, 17)


def test_holidays_are_skipped(calendar):
    # 30/4 and 1/5 2026 (Thursday, Friday) are public holidays
    assert rules.answer_due(calendar, at(2026, 4, 29, 9), 1) == at(2026, 5, 4, 17)


def test_swapped_saturday_of_the_unit_calendar_counts(calendar):
    swapped = Calendar(time_zone=VN, working_days=frozenset({dt.date(2026, 3, 14)}))
    assert rules.answer_due(swapped, at(2026, 3, 13, 9), 1) == at(2026, 3, 14, 17)


def test_days_per_kind_are_configurable(settings):
    assert rules.answer_days("feedback") == 10
    settings.CONGSO_FEEDBACK_ANSWER_DAYS = {"feedback": 5}
    assert rules.answer_days("feedback") == 5
    assert rules.answer_days("suggestion") == 10


def test_complaint_code():
    assert rules.complaint_code(dt.date(2026, 3, 9), 7) == "PAKN-260309-0007"
    with pytest.raises(ValueError):
        rules.complaint_code(dt.date(2026, 3, 9), 10_000)


def test_overdue_means_owed_and_past_due():
    due = at(2026, 3, 23, 17)
    assert rules.is_overdue(due, None, at(2026, 3, 24, 8))
    assert not rules.is_overdue(due, None, at(2026, 3, 23, 16))
    assert not rules.is_overdue(due, at(2026, 3, 20), at(2026, 3, 24, 8))
    assert rules.is_overdue(due, at(2026, 3, 25), at(2026, 3, 24, 8))
