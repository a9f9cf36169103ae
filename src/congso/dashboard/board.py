"""What the dashboard pages, exports, API and monthly report show, assembled once: the period,
the unit, the figures of every source, the indicators, the Decision 766 index, the drill-downs
(units below, procedures), the monthly trend and the ranking of communes.

Every number comes from ``congso.core.figures`` providers (the one-stop figures from the daily
facts); nothing here reads another app's tables except the unit tree and procedure names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.catalog.services import procedures
from congso.core import figures as registry
from congso.core.collation import sort_key
from congso.core.periods import Period
from congso.onestop import facts
from congso.org.choices import COMMUNE_LEVEL_KINDS
from congso.org.services import units

from . import facts_cache, index766, indicators, store

if TYPE_CHECKING:  # type names only: no import of another app's models at run time
    from congso.org.models import Unit

log = logging.getLogger(__name__)

#: Every source of the figures contract, in display order.
SOURCES = [
    "onestop",
    "payments",
    "feedback",
    "catalog",
    "documents",
    "signing",
    "meetings",
    "skills",
    "ict",
]
PERIOD_KINDS = {
    "month": _("Tháng"),
    "quarter": _("Quý"),
    "year": _("Năm"),
    "custom": _("Tuỳ chọn"),
}
#: Columns of the drill-down tables (per unit, per procedure, per month, ranking).
BREAKDOWN = ["received", "received_online", "on_time_rate", "online_filing_rate", "open_overdue"]
#: The one-stop figures the monthly trend sums: those its columns read.
TREND_FIGURES = indicators.figures_read(BREAKDOWN, "onestop")


def _safe_figures(source: str, unit_ids: Sequence[int], start: dt.date, end: dt.date):
    """A provider that fails is "not available" for this view, not a broken page."""
    try:
        return registry.figures(source, unit_ids, start, end)
    except Exception:  # noqa: BLE001 — another app's bug must not take the dashboard down
        log.exception("figures provider %s failed", source)
        return None


#: Other apps' figures are kept this long (seconds): their providers read raw rows, and a
#: leader's overview must not wait for eight of them on every click. The one-stop figures come
#: from the daily facts and are never cached.


def _cache_keys(sources, unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict:
    digest = hashlib.sha256(",".join(map(str, sorted(unit_ids))).encode()).hexdigest()[:16]
    return {
        source: f"dashboard:figures:{source}:{digest}:{start:%Y%m%d}:{end:%Y%m%d}"
        for source in sources
        if source != "onestop"
    }


def collect(unit_ids: Sequence[int], start: dt.date, end: dt.date, sources=SOURCES) -> dict:
    """Every source's figures: the one-stop ones from the facts, the others from the cache —
    all looked up in one round trip — or from their provider, then kept."""
    keys = _cache_keys(sources, unit_ids, start, end)
    found = cache.get_many(list(keys.values())) if keys else {}
    numbers = {}
    for source in sources:
        key = keys.get(source)
        if key in found:
            numbers[source] = found[key]["figures"]
            continue
        numbers[source] = _safe_figures(source, unit_ids, start, end)
        if key is not None:
            cache.set(key, {"figures": numbers[source]}, settings.DASHBOARD_CACHE_SECONDS)
    return numbers


def subtree_ids(unit: Unit) -> list[int]:
    return list(units().subtree(unit).values_list("pk", flat=True))


@dataclass
class Row:
    """One line of a drill-down: a label, where it leads, and its indicator values."""

    label: str
    values: dict
    unit: Unit | None = None

    def __getitem__(self, key):
        return self.values[key]


def _onestop_row(label: str, onestop: dict, unit: Unit | None = None) -> Row:
    values = indicators.evaluate({"onestop": onestop}, BREAKDOWN)
    return Row(label, {v.key: v for v in values}, unit)


def _trend_start(period: Period) -> dt.date:
    """The trend's first month: twelve months up to the period's end, or the period's months."""
    return min(period.start, (period.end.replace(day=1) - dt.timedelta(days=335)).replace(day=1))


def _kept_sums(ids: list[int], period: Period, *, trend: bool) -> tuple[dict, dict | None]:
    """The units' own stored figures and, with ``trend``, the months' sums: from
    ``facts_cache`` (one round trip, no query) unless a refresh of the facts retired them."""
    start, end = period.start, period.end
    own = facts_cache.key("units", ids, start, end, store.running(end))
    computes = {own: lambda: store.stored_by_unit(ids, start, end)}
    months = None
    if trend:
        first = _trend_start(period)
        months = facts_cache.key("months", ids, first, end, *sorted(TREND_FIGURES))
        computes[months] = lambda: store.onestop_by_month(ids, first, end, TREND_FIGURES)
    found = facts_cache.kept(computes)
    return found[own], found[months] if months else None


def _own_figures(unit: Unit, period: Period, *, trend: bool = False) -> tuple[list, dict, dict]:
    """The subtree's units (by path), each unit's own one-stop figures and, with ``trend``, the
    trend's months: one read of the units, the facts' sums kept (``_kept_sums``) and the
    dossiers open now for a running period (live) — what the total, the units below, the trend
    and the ranking all use."""
    tree = list(units().subtree(unit).order_by("path"))
    ids = [u.pk for u in tree]
    stored, months = _kept_sums(ids, period, trend=trend)
    return tree, store.with_open_now(stored, ids, period.end), months


def _subtree_sums(tree: list, own: dict) -> dict[int, dict]:
    """Each unit's whole subtree summed, in one pass: a unit's own figures added to it and to
    each of its ancestors in ``tree`` (a handful), instead of a pass over the tree per unit."""
    totals = {u.pk: dict.fromkeys(facts.KEYS, 0) for u in tree}
    parents = {u.pk: u.parent_id for u in tree}
    for pk, values in own.items():
        while pk in totals:
            total = totals[pk]
            for key, value in values.items():
                total[key] += value
            pk = parents[pk]
    return totals


def _rows_of(units: list[Unit], totals: dict) -> list[Row]:
    """One row per unit, each with its whole subtree's figures."""
    return [_onestop_row(u.name, totals[u.pk], u) for u in units]


def _units_below(unit: Unit, tree: list, totals: dict, today: dt.date) -> list[Row]:
    """The units right below ``unit`` in force ``today``, by path, each with its whole subtree."""
    return _rows_of([u for u in tree if u.parent_id == unit.pk and u.in_force_on(today)], totals)


def by_procedure(unit: Unit, period: Period) -> list[Row]:
    grouped = store.onestop_by_procedure(subtree_ids(unit), period.start, period.end)
    names = {p.pk: f"{p.code} — {p.name}" for p in procedures().filter(pk__in=grouped)}
    rows = [_onestop_row(names.get(pk, "—"), values) for pk, values in grouped.items()]
    return sorted(rows, key=lambda r: -r.values["received"].value)


def _trend(months: dict) -> list[Row]:
    """The twelve months up to the period's end (or the period's months if longer)."""
    return [_onestop_row(f"{month:%m/%Y}", values) for month, values in months.items()]


def _ranking(tree: list, totals: dict, today: dt.date) -> list[Row]:
    """Communes in ``tree`` in force ``today``, best first by on-time rate, then online filing
    rate, then name."""
    communes = [u for u in tree if u.kind in COMMUNE_LEVEL_KINDS and u.in_force_on(today)]
    rows = _rows_of(sorted(communes, key=lambda u: sort_key(u.name)), totals)

    def rank_key(row: Row):
        on_time, online = row.values["on_time_rate"].value, row.values["online_filing_rate"].value
        return (on_time is None, -(on_time or 0), -(online or 0), row.label)

    return sorted(rows, key=rank_key)


@dataclass
class Board:
    unit: Unit
    period: Period
    figures: dict
    values: list
    index: index766.Index
    units: list[Row] = field(default_factory=list)
    trend: list[Row] = field(default_factory=list)
    communes: list[Row] = field(default_factory=list)

    @property
    def headline(self) -> list:
        by_key = {v.key: v for v in self.values}
        return [by_key[key] for key in indicators.HEADLINE]

    @property
    def sections(self) -> list[tuple[str, list]]:
        return [
            (label, [v for v in self.values if v.indicator.section == key])
            for key, label in indicators.SECTIONS.items()
        ]

    @property
    def missing_sources(self) -> list[str]:
        return [source for source, numbers in self.figures.items() if numbers is None]


@dataclass
class Inputs:
    """Everything a board is worked out from, read before any of it is (a few round trips): the
    subtree's units, each unit's own one-stop figures (the dossiers open now included for a
    running period), the trend's months and the other sources' figures. The board is a function
    of these alone (its indicators, index and tables are code), so their ``digest`` names it."""

    unit: Unit
    period: Period
    tree: list
    own: dict
    months: dict | None
    others: dict
    details: bool

    def digest(self) -> str:
        """A digest of the inputs and of the day (which units are in force): equal digests, equal
        boards. Units by what a board shows of them; numbers in a canonical JSON."""
        shown = {
            "unit": self.unit.pk,
            "period": [self.period.kind, self.period.start, self.period.end],
            "today": timezone.localdate(),
            "tree": [
                [u.pk, u.name, u.path, u.parent_id, u.kind, u.valid_from, u.valid_until]
                for u in self.tree
            ],
            "own": sorted(self.own.items()),
            "months": sorted(self.months.items()) if self.months is not None else None,
            "others": self.others,
            "details": self.details,
        }
        canonical = json.dumps(shown, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def gather(unit: Unit, period: Period, *, details: bool = True) -> Inputs:
    """The inputs of ``unit``'s board for ``period``; ``details`` adds the trend's months."""
    tree, own, months = _own_figures(unit, period, trend=details)
    ids = [u.pk for u in tree]
    others = collect(ids, period.start, period.end, [s for s in SOURCES if s != "onestop"])
    return Inputs(unit, period, tree, own, months, others, details)


def assemble(inputs: Inputs) -> Board:
    """The board worked out from its inputs (no query): the indicators, the Decision 766 index
    and, with ``details``, the units below, the monthly trend and the ranking of communes. The
    one-stop total is the sum of the units' own figures (the same facts the ``onestop`` provider
    reads), the subtree's total like every row's."""
    unit, tree = inputs.unit, inputs.tree
    totals = _subtree_sums(tree, inputs.own)
    numbers = {"onestop": totals[unit.pk], **inputs.others}
    values = indicators.evaluate(numbers)
    board = Board(unit, inputs.period, numbers, values, index766.compute(values, figures=numbers))
    if inputs.details:
        today = timezone.localdate()
        board.units = _units_below(unit, tree, totals, today)
        board.trend = _trend(inputs.months)
        board.communes = _ranking(tree, totals, today)
    return board


def build(unit: Unit, period: Period, *, details: bool = True) -> Board:
    """The overview of ``unit`` (and its subtree) for ``period``; ``details`` adds the units
    below, the monthly trend and the ranking of communes."""
    return assemble(gather(unit, period, details=details))
