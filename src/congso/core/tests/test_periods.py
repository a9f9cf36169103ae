"""One definition of a period: inclusive local days as half-open instants in Vietnam time, the
month, quarter or year containing a day, and equality by days whatever chose them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from congso.core.periods import Period, local_midnight

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_period_is_its_local_days_as_half_open_instants():
    march = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert march.bounds == (
        dt.datetime(2026, 3, 1, tzinfo=VN),
        dt.datetime(2026, 4, 1, tzinfo=VN),
    )
    assert march.finish - march.begin == dt.timedelta(days=31)


def test_midnight_is_vietnam_midnight_whatever_the_active_zone(settings):
    from django.utils import timezone

    with timezone.override("UTC"):
        assert local_midnight(dt.date(2026, 1, 1)) == dt.datetime(2025, 12, 31, 17, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "kind, day, start, end",
    [
        ("month", dt.date(2024, 2, 10), dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("month", dt.date(2025, 12, 31), dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
        ("quarter", dt.date(2026, 5, 5), dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("quarter", dt.date(2026, 11, 30), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("year", dt.date(2026, 7, 1), dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_the_month_quarter_or_year_containing_a_day(kind, day, start, end):
    period = Period.of(kind, day)
    assert (period.start, period.end, period.kind) == (start, end, kind)


def test_periods_with_the_same_days_are_equal_however_chosen():
    assert Period.month_of(dt.date(2026, 3, 9)) == Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(dt.date(2026, 3, 2), dt.date(2026, 3, 1))
