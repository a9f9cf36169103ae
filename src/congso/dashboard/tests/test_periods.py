"""The period selector: month, quarter and year around a day (``core.periods``), a custom period,
bad input."""

import datetime as dt

import pytest

from congso.core.periods import Period
from congso.dashboard.forms import PeriodForm
from congso.org.models import Unit


def _form(long, **data):
    return PeriodForm({"unit": long.pk, **data}, Unit.objects.filter(pk=long.pk))


def test_custom_period_crossing_a_year(long):
    form = _form(long, kind="custom", start="20/12/2025", end="10/01/2026")
    assert form.is_valid()
    assert form.cleaned_data["period"] == Period(dt.date(2025, 12, 20), dt.date(2026, 1, 10))


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "custom", "start": "10/01/2026", "end": "20/12/2025"},
        {"kind": "custom", "start": "10/01/2026"},
        {"kind": "custom", "start": "01/01/2020", "end": "01/01/2026"},
        {"kind": "month", "day": "31/02/2026"},
        {"kind": "decade"},
    ],
)
def test_bad_periods_are_refused(long, data):
    assert not _form(long, **data).is_valid()
