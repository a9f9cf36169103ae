"""The refresh job recomputes only the stale (unit, day) pairs: each unit's own stale days, in
short spans, never the span of every stale day for every stale unit."""

import datetime as dt

from congso.dashboard import store
from congso.dashboard.models import StaleDay
from congso.onestop import facts

D = dt.date(2026, 3, 2)


def test_runs_split_at_gaps_and_at_the_chunk_length():
    days = [D, D + dt.timedelta(days=1), D + dt.timedelta(days=2), D + dt.timedelta(days=9)]
    assert store.runs(days) == [(D, D + dt.timedelta(days=2)), (D + dt.timedelta(days=9),) * 2]
    month = [D + dt.timedelta(days=n) for n in range(70)]
    spans = store.runs(month, longest=31)
    assert [((b - a).days + 1) for a, b in spans] == [31, 31, 8]
    assert spans[0][0] == D and spans[-1][1] == month[-1]


def test_an_old_change_at_one_unit_recomputes_only_that_units_days(long, my, monkeypatch):
    asked = []
    compute = facts.compute

    def spy(start, end, unit_ids=None):
        asked.append((start, end, list(unit_ids)))
        return compute(start, end, unit_ids)

    monkeypatch.setattr(facts, "compute", spy)
    old, today = D - dt.timedelta(days=300), D
    store.mark_stale([old], long.pk)
    store.mark_stale([today], my.pk)
    store.refresh_stale()
    assert sorted(asked) == sorted([(old, old, [long.pk]), (today, today, [my.pk])])
    assert not StaleDay.objects.exists()
