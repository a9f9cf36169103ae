"""Keeping the daily facts right, and reading them.

The facts are refreshed incrementally: a dossier change marks its (day, unit) stale
(``mark_changed``, connected to ``congso.onestop.signals.dossier_changed``); the beat job redoes
the stale days and, every night, yesterday and today for every unit (the end-of-day snapshot of
open dossiers moves even when no dossier changes). ``refresh`` redoes any period.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from functools import partial

from django.db import transaction
from django.db.models import Case, IntegerField, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from congso.core.prepared import PreparedQuery
from congso.onestop import facts

from . import facts_cache
from .models import DailyFact, StaleDay, UnitDayFact

BATCH = 5000
#: A change never reaches back further than this (a dossier open for years is an anomaly the
#: ``recompute_facts`` command handles).
MAX_STALE = dt.timedelta(days=400)


@transaction.atomic
def refresh(start: dt.date, end: dt.date, unit_ids: Sequence[int] | None = None) -> int:
    """Recompute the facts of ``start`` … ``end`` (for ``unit_ids``, or every unit) from the
    dossiers, replacing what was stored; returns the number of rows written. The end-of-day
    snapshots are recomputed too: each judges the clock as it stood at that day's end
    (``timeliness.as_at``, from the clock's history), so redoing an old day gives what the clock
    said then, not what it says today."""
    computed = facts.compute(start, end, unit_ids)
    for model in (DailyFact, UnitDayFact, StaleDay):
        old = model.objects.filter(day__gte=start, day__lte=end)
        if unit_ids is not None:
            old = old.filter(unit_id__in=unit_ids)
        old.delete()
    rows = [
        DailyFact(day=day, unit_id=unit_id, procedure_id=procedure_id, **values)
        for (day, unit_id, procedure_id), values in computed.items()
    ]
    DailyFact.objects.bulk_create(rows, batch_size=BATCH)
    UnitDayFact.objects.bulk_create(_per_unit(computed), batch_size=BATCH)
    facts_cache.changed()  # the sums the dashboard kept are retired (now and at commit)
    return len(rows)


def _per_unit(computed: dict) -> list[UnitDayFact]:
    totals: dict = defaultdict(lambda: dict.fromkeys(facts.KEYS, 0))
    for (day, unit_id, _procedure_id), values in computed.items():
        bucket = totals[(day, unit_id)]
        for key, value in values.items():
            bucket[key] += value
    return [UnitDayFact(day=day, unit_id=unit_id, **v) for (day, unit_id), v in totals.items()]


def mark_stale(days, unit_id: int) -> None:
    StaleDay.objects.bulk_create(
        [StaleDay(day=day, unit_id=unit_id) for day in days], ignore_conflicts=True
    )


def mark_changed(sender=None, dossier=None, **kwargs) -> None:
    """A dossier changed: the days whose flows it counts in are stale for its receiving unit —
    its receipt day (the result, digitisation and reuse flags count there), the day it ended,
    and today (the change itself, today's snapshot). The end-of-day snapshots of the days in
    between are not: a change moves the clock from now on, and each snapshot judges the clock as
    it stood at its day's end (``timeliness.as_at``)."""
    if dossier is None:
        return
    today = timezone.localdate()
    days = [today]
    for instant in (dossier.received_at, dossier.finished_at):
        if instant is not None:
            days.append(max(timezone.localdate(instant), today - MAX_STALE))
    mark_stale(days, dossier.receiving_unit_id)


#: The longest span one refresh recomputes in one transaction.
CHUNK_DAYS = 31


def runs(days: Sequence[dt.date], longest: int = CHUNK_DAYS) -> list[tuple[dt.date, dt.date]]:
    """Consecutive ``days`` as (first, last) spans of at most ``longest`` days, in order:
    ``[1, 2, 3, 9]`` → ``[(1, 3), (9, 9)]``."""
    spans: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if spans:
            first, last = spans[-1]
            if day == last + dt.timedelta(days=1) and (day - first).days < longest:
                spans[-1] = (first, day)
                continue
        spans.append((day, day))
    return spans


def refresh_stale() -> int:
    """Redo what is stale, unit by unit and only the stale days of each (in spans of at most
    ``CHUNK_DAYS``, one transaction each): a change at one commune ten months ago recomputes that
    commune's days, never every unit's, and never holds one long transaction."""
    by_unit: dict[int, list[dt.date]] = defaultdict(list)
    for day, unit_id in StaleDay.objects.values_list("day", "unit_id"):
        by_unit[unit_id].append(day)
    written = 0
    for unit_id, days in sorted(by_unit.items()):
        for start, end in runs(days):
            written += refresh(start, end, [unit_id])
    return written


def refresh_recent() -> int:
    """The nightly pass: yesterday and today for every unit, then whatever is still stale."""
    today = timezone.localdate()
    return refresh(today - dt.timedelta(days=1), today) + refresh_stale()


# --- Reading ------------------------------------------------------------------------------


def running(end: dt.date) -> bool:
    """Whether a period ending ``end`` is still running: its open dossiers are judged now
    (``timeliness``), straight from the dossiers open now, not from a stored end-of-day
    snapshot."""
    return end >= timezone.localdate()


def _open_now(unit_ids, by: str | None = None) -> dict:
    return facts.open_at(unit_ids, timezone.now(), by, now=True)


def _flows() -> dict:
    return {key: Sum(key) for key in facts.FLOW_KEYS}


def _snapshots() -> dict:
    return {key: Sum(key) for key in facts.SNAPSHOT_KEYS}


def _clean(values: dict) -> dict[str, int]:
    return {key: values.get(key) or 0 for key in facts.KEYS}


def onestop_figures(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, int]:
    """The ``onestop`` provider (figures contract): flows summed over the period, open dossiers
    as the snapshot at its end."""
    rows = UnitDayFact.objects.filter(unit_id__in=list(unit_ids))
    flows = rows.filter(day__gte=start, day__lte=end).aggregate(**_flows())
    if running(end):
        snapshot = _open_now(unit_ids).get(None, {})
    else:
        snapshot = rows.filter(day=end).aggregate(**_snapshots())
    return _clean({**flows, **snapshot})


#: The end-of-day columns whose sum is the dossiers open at a day's end.
OPEN_KEYS = tuple(facts.OPEN_KEY.values())
#: ``_one_read``'s parts of a period: the day before it, its days but the last, its last day.
BEFORE, BETWEEN, LAST = 0, 1, 2


def _sums_by_part(model, field: str, unit_ids, first: dt.date, start: dt.date, end: dt.date):
    part = Case(
        When(day__lt=start, then=Value(BEFORE)),
        When(day=end, then=Value(LAST)),
        default=Value(BETWEEN),
        output_field=IntegerField(),
    )
    rows = model.objects.filter(unit_id__any=unit_ids, day__gte=first, day__lte=end)
    sums = {key: Sum(key) for key in facts.KEYS}
    return rows.annotate(part=part).values(field, "part").annotate(**sums).order_by()


#: ``_one_read``'s grouped query per (facts table, grouping column), built and compiled once:
#: the report and the dashboard ask it on every view, its 26 sums cost more to compile than to
#: run on a unit's year of daily rows.
_GROUPED: dict[tuple, PreparedQuery] = {}


def _grouped(model, field: str) -> PreparedQuery:
    key = (model._meta.label, field)
    if key not in _GROUPED:
        build = partial(_sums_by_part, model, field)
        _GROUPED[key] = PreparedQuery(build, kinds=(list, dt.date, dt.date, dt.date))
    return _GROUPED[key]


def _one_read(model, field: str, unit_ids, start: dt.date, end: dt.date, *, carried: bool):
    """Per ``field`` value, in one grouped read of the facts: the flows summed over ``start`` …
    ``end``, the end-of-day snapshot of ``end`` (judged now instead for a running period, by the
    caller) and, with ``carried``, the dossiers open at the end of the day before ``start``.
    The rows are summed per value and part — the day before, the last day, the days between —
    with plain sums (conditional ``FILTER`` sums cost more in PostgreSQL), and the parts added up
    here: the sums each grouped query read before."""
    first = start - dt.timedelta(days=1) if carried else start
    result: dict = defaultdict(dict)
    for row in _grouped(model, field).rows(list(unit_ids), first, start, end):
        values = result[row[field]]
        if row["part"] == BEFORE:
            values["carried"] = sum(row[key] for key in OPEN_KEYS)
            continue
        for key in facts.FLOW_KEYS:
            values[key] = values.get(key, 0) + row[key]
        if row["part"] == LAST and not running(end):
            values.update({key: row[key] for key in facts.SNAPSHOT_KEYS})
    return result


def onestop_by_procedure(
    unit_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """The same figures per procedure (drill-down): two grouped aggregates."""
    rows = DailyFact.objects.filter(unit_id__in=list(unit_ids))
    result: dict[int, dict] = defaultdict(dict)
    flows = rows.filter(day__gte=start, day__lte=end).values("procedure_id")
    for row in flows.annotate(**_flows()).order_by():
        result[row.pop("procedure_id")].update(row)
    if running(end):
        for key, row in _open_now(unit_ids, "procedure").items():
            result[key].update(row)
    else:
        snapshot = rows.filter(day=end).values("procedure_id")
        for row in snapshot.annotate(**_snapshots()).order_by():
            result[row.pop("procedure_id")].update(row)
    return {key: _clean(values) for key, values in result.items()}


def onestop_by_month(
    unit_ids: Sequence[int], start: dt.date, end: dt.date, keys=facts.FLOW_KEYS
) -> dict[dt.date, dict[str, int]]:
    """Flow figures per calendar month (first day of the month as key), for trend charts: the
    flow ``keys`` summed (a trend of a few indicators needs a few of the 24), the others 0."""
    rows = UnitDayFact.objects.filter(unit_id__in=list(unit_ids), day__gte=start, day__lte=end)
    sums = {key: Sum(key) for key in facts.FLOW_KEYS if key in keys}
    grouped = rows.annotate(month=TruncMonth("day")).values("month").annotate(**sums)
    result = {}
    for row in grouped.order_by("month"):
        month = row.pop("month")
        month = month.date() if isinstance(month, dt.datetime) else month
        result[month] = _clean(row)
    return result


def stored_by_unit(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict:
    """Each receiving unit's own figures as the facts hold them: one grouped read (for a running
    period the flows only — ``onestop_by_unit`` adds the dossiers open now). What the dashboard
    keeps in ``facts_cache``: a function of the facts alone (and of whether ``end`` has come)."""
    return dict(_one_read(UnitDayFact, "unit_id", unit_ids, start, end, carried=False))


def with_open_now(stored: dict, unit_ids: Sequence[int], end: dt.date) -> dict:
    """``stored_by_unit``'s figures completed: for a running period the dossiers open now, read
    live (never kept), per unit."""
    result: dict = defaultdict(dict, {key: dict(values) for key, values in stored.items()})
    if running(end):
        for key, row in _open_now(unit_ids, "unit").items():
            result[key].update(row)
    return {key: _clean(values) for key, values in result.items()}


def onestop_by_unit(
    unit_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """The figures of each receiving unit on its own (not its subtree): one grouped read of the
    facts, and the dossiers open now for a running period; ``board`` adds them up along the unit
    tree."""
    return with_open_now(stored_by_unit(unit_ids, start, end), unit_ids, end)


def _stale_days(unit_ids, end: dt.date):
    """A change of these units up to ``end`` not yet folded into the facts (one row or none)."""
    return StaleDay.objects.filter(unit_id__any=unit_ids, day__lte=end).values("pk")[:1]


_STALE = PreparedQuery(_stale_days, kinds=(list, dt.date))


def report_rows(unit_ids: Sequence[int], period, by: str) -> dict:
    """The one-stop period report's reader (``onestop.reports.register_reader``): per receiving
    unit or procedure, the flows summed over the period, the open dossiers at its end (now for a
    running period) and the dossiers carried over — one grouped read of the facts, kept in
    ``facts_cache`` as the dashboard's sums are until a refresh retires them (summing a
    district-year on every view was most of the page's database time), and the dossiers open
    now for a running period, read live."""
    if _STALE.rows(list(unit_ids), period.end):
        refresh_stale()  # read your writes: a change not yet folded in is folded in first
    field = "unit_id" if by == "unit" else "procedure_id"
    model = UnitDayFact if by == "unit" else DailyFact
    start, end = period.start, period.end
    kept = facts_cache.key(f"report-{by}", unit_ids, start, end, running(end))
    # a defaultdict, unpickled from the cache or just computed (and kept before it is returned):
    # the dossiers open now are added to it, never to what is kept
    result = facts_cache.kept(
        {kept: lambda: _one_read(model, field, unit_ids, start, end, carried=True)}
    )[kept]
    if running(end):
        for key, row in _open_now(unit_ids, by).items():
            result[key].update(row)
    return result
