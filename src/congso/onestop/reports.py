"""The period report of the one-stop shop (regulations §5), by unit and by procedure.

Every figure comes from the daily facts (``onestop.facts``, stored by the dashboard and read
through the reader it registers — ``register_reader``), so a district-year or a province-year is
a few grouped sums however many dossiers there are; every timeliness class comes from
``onestop.timeliness``. The columns partition the dossiers of the period, which is what lets a
reader check a report by hand::

    carried + received = early + on_time + late + open_within + overdue + waiting

Ended dossiers are classed as the national formula classes them (Decision 766 indicator 2.1):
refused (stopped) and withdrawn-after-receipt dossiers are ended, early / on time / late like
any other, and the "of which" columns say how many. Open dossiers are judged at the period's
end, or *now* for a period that has not ended; a dossier waiting for the citizen's supplement
is in its own column. Without a reader (the dashboard app not installed) the same facts are
computed from the dossiers for the period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from congso.core.periods import Period
from congso.org import services as org

from . import facts, timeliness

if TYPE_CHECKING:
    from congso.org.models import Unit

#: The report's columns in print order: (key, heading).
COLUMNS = [
    ("carried", _("Kỳ trước chuyển sang")),
    ("received_online", _("Tiếp nhận trực tuyến")),
    ("received_desk", _("Tiếp nhận trực tiếp")),
    ("received_post", _("Tiếp nhận qua bưu chính")),
    ("received", _("Tổng tiếp nhận trong kỳ")),
    ("early", _("Giải quyết trước hạn")),
    ("on_time", _("Giải quyết đúng hạn")),
    ("late", _("Giải quyết quá hạn")),
    ("finished", _("Tổng đã giải quyết")),
    ("refused", _("Trong đó: từ chối, dừng xử lý")),
    ("withdrawn", _("Trong đó: công dân rút hồ sơ")),
    ("open_within", _("Đang giải quyết trong hạn")),
    ("overdue", _("Đang giải quyết quá hạn")),
    ("waiting", _("Chờ công dân bổ sung")),
    ("open", _("Tổng đang giải quyết")),
    ("supplements", _("Yêu cầu bổ sung")),
    ("apologised", _("Văn bản xin lỗi, hẹn lại")),
    ("returned", _("Đã trả kết quả")),
]
KEYS = [key for key, _heading in COLUMNS]

#: Report column ← facts key.
FROM_FACTS = {
    "received_online": "received_online",
    "received_desk": "received_desk",
    "received_post": "received_post",
    "early": "finished_early",
    "on_time": "finished_on_time",
    "late": "finished_late",
    "refused": "finished_refused",
    "withdrawn": "finished_withdrawn",
    "open_within": "open_within_time",
    "overdue": "open_overdue",
    "waiting": "open_waiting",
    "supplements": "supplements",
    "apologised": "apologised",
    "returned": "returned",
}


@dataclass
class Row:
    key: object  # unit id or procedure id; None for the total
    label: str
    figures: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.figures[key]

    @property
    def cells(self) -> list[int]:
        return [self.figures[k] for k in KEYS]

    @property
    def balanced(self) -> bool:
        f = self.figures
        return f["carried"] + f["received"] == f["finished"] + f["open"]


@dataclass
class Report:
    period: Period
    unit: Unit
    by: str  # "unit" or "procedure"
    rows: list[Row]
    total: Row


def unit_ids(unit: Unit) -> list[int]:
    """The unit and every unit below it (desks, departments, communes): their dossiers count."""
    return list(org.units().subtree(unit).values_list("pk", flat=True))


#: ``reader(unit_ids, period, by) -> {group key: {facts key: n, "carried": n}}``; the dashboard
#: registers its stored facts (``dashboard.store.report_rows``) at start-up.
_reader: Callable | None = None


def register_reader(reader: Callable | None) -> None:
    global _reader
    _reader = reader


def _computed(ids: list[int], period: Period, by: str) -> dict:
    """The reader's answer computed from the dossiers (no stored facts): the same facts."""
    position = 0 if by == "unit" else 1
    before = period.start - dt.timedelta(days=1)
    rows: dict = defaultdict(lambda: dict.fromkeys([*facts.KEYS, "carried"], 0))
    for (day, unit_id, procedure_id), values in facts.compute(before, period.end, ids).items():
        bucket = rows[(unit_id, procedure_id)[position]]
        if day == before:
            bucket["carried"] += sum(values[k] for k in facts.OPEN_KEY.values())
            continue
        for key in facts.FLOW_KEYS:
            bucket[key] += values[key]
        if day == period.end:
            for key in facts.SNAPSHOT_KEYS:
                bucket[key] += values[key]
    cutoff = timeliness.cutoff_for(period.finish)
    if cutoff < period.finish:
        for row in rows.values():
            row.update(dict.fromkeys(facts.SNAPSHOT_KEYS, 0))
        now = facts.open_at(ids, cutoff, by, now=True)
        for key, values in now.items():
            rows[key].update(values)
    return rows


def _group_field(by: str) -> str:
    if by not in ("unit", "procedure"):
        raise ValueError(by)
    return by


def _complete(values: dict) -> dict:
    figures = {key: values.get(source) or 0 for key, source in FROM_FACTS.items()}
    figures["carried"] = values.get("carried") or 0
    figures["received"] = (
        figures["received_online"] + figures["received_desk"] + figures["received_post"]
    )
    figures["finished"] = figures["early"] + figures["on_time"] + figures["late"]
    figures["open"] = figures["open_within"] + figures["overdue"] + figures["waiting"]
    return {k: figures[k] for k in KEYS}


def _labels(by: str, keys) -> dict:
    from congso.catalog import services as catalog

    if by == "unit":
        return {u.pk: u.name for u in org.units().filter(pk__in=keys)}
    return {p.pk: f"{p.code} — {p.name}" for p in catalog.procedures().filter(pk__in=keys)}


def period_report(unit: Unit, period: Period, *, by: str = "unit") -> Report:
    """The §5 report of ``unit`` and the units below it for ``period``, one row per receiving
    unit (``by="unit"``) or per procedure (``by="procedure"``), with the total row."""
    _group_field(by)
    names = dict(org.units().subtree(unit).values_list("pk", "name"))  # the units that count
    grouped = (_reader or _computed)(list(names), period, by)
    figures = {key: _complete(values) for key, values in grouped.items()}
    figures = {key: values for key, values in figures.items() if any(values.values())}
    labels = names if by == "unit" else _labels(by, figures.keys())
    rows = [
        Row(key, labels.get(key, "—"), values)
        for key, values in sorted(figures.items(), key=lambda kv: labels.get(kv[0], ""))
    ]
    total = Row(None, str(_("Tổng cộng")), {k: sum(r.figures[k] for r in rows) for k in KEYS})
    return Report(period=period, unit=unit, by=by, rows=rows, total=total)
