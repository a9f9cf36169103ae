"""The period report keeps its sums of the facts in the shared cache as the dashboard does
(``store.report_rows`` through ``facts_cache``): a second report of the same units and period
reads no fact; a refresh of the facts shows on the next report; by unit and by procedure are
kept apart."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congso.core.periods import Period
from congso.dashboard import store
from congso.dashboard.models import DailyFact, UnitDayFact
from congso.onestop import reports

from .conftest import at, make

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_cache")]

MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
FACT_TABLES = (UnitDayFact._meta.db_table, DailyFact._meta.db_table)


def _report(unit, by="unit"):
    """(the report, how many of its queries read the facts)."""
    with CaptureQueriesContext(connection) as captured:
        report = reports.period_report(unit, MARCH, by=by)
    sql = [q["sql"] for q in captured.captured_queries]
    return report, sum(any(table in statement for table in FACT_TABLES) for statement in sql)


def test_a_second_report_reads_no_fact_and_a_refresh_shows(district, long):
    make(long, received=at(2026, 3, 2), due=at(2026, 3, 6), finished=at(2026, 3, 5),
         timeliness="early", state="processed")  # fmt: skip
    store.refresh(MARCH.start, MARCH.end)
    first, read = _report(district)
    again, read_again = _report(district)
    assert (read, read_again) == (1, 0)
    assert again.total.figures == first.total.figures
    assert first.total["received_desk"] == 1

    make(long, received=at(2026, 3, 10), due=at(2026, 3, 20))
    store.refresh(dt.date(2026, 3, 10), dt.date(2026, 3, 10))
    after, read_after = _report(district)
    assert read_after == 1
    assert after.total["received_desk"] == 2


def test_by_unit_and_by_procedure_are_kept_apart(district, long):
    make(long, received=at(2026, 3, 2), due=at(2026, 3, 6))
    store.refresh(MARCH.start, MARCH.end)
    by_unit, _ = _report(district)
    by_procedure, read = _report(district, by="procedure")
    assert read == 1
    assert [row.label for row in by_unit.rows] == [long.name]
    assert [row.label for row in by_procedure.rows] != [long.name]
    assert by_procedure.total.figures == by_unit.total.figures
