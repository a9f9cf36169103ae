"""Coverage per commune: people trained per topic in a year against the adult population."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum
from django.utils.translation import gettext as _

from congso.core.collation import by_vietnamese
from congso.core.spreadsheets import workbook
from congso.org.choices import COMMUNE_LEVEL_KINDS

from . import figures
from .models import Session, Topic

if TYPE_CHECKING:
    from congso.org.models import Unit


@dataclass
class Row:
    unit: Unit
    by_topic: list[int]
    adult_population: int | None

    @property
    def total(self) -> int:
        return sum(self.by_topic)

    @property
    def share(self) -> Decimal | None:
        """Trained (head count of sessions) per 100 adults, one decimal."""
        return share(self.total, self.adult_population)


def share(trained: int, adults: int | None) -> Decimal | None:
    if not adults:
        return None
    return (Decimal(100 * trained) / adults).quantize(Decimal("0.1"), ROUND_HALF_UP)


def communes(units):
    return units.filter(kind__in=COMMUNE_LEVEL_KINDS).order_by(by_vietnamese("name"))


def coverage(units, year: int) -> list[Row]:
    """One row per commune among ``units`` (a queryset)."""
    rows = communes(units)
    ids = [unit.pk for unit in rows]
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    sums = (
        Session.objects.filter(unit_id__in=ids, date__range=(start, end))
        .values_list("unit_id", "topic")
        .annotate(Sum("attendance"))
        .order_by()
    )
    counts = {(unit_id, topic): total for unit_id, topic, total in sums}
    adults = figures.adult_population(ids, year)
    return [
        Row(
            unit=unit,
            by_topic=[counts.get((unit.pk, topic), 0) for topic in Topic.values],
            adult_population=adults.get(unit.pk),
        )
        for unit in rows
    ]


def headings() -> list[str]:
    return [_("Xã"), *Topic.labels, _("Tổng lượt"), _("Dân số từ 15 tuổi"), _("Tỷ lệ (%)")]


def coverage_xlsx(rows: list[Row], year: int) -> bytes:
    return workbook(
        _("Độ phủ kỹ năng số"),
        [_("ĐỘ PHỦ KỸ NĂNG SỐ CHO NGƯỜI DÂN — NĂM %(year)s") % {"year": year}],
        headings(),
        [
            [
                row.unit.short_name or row.unit.name,
                *row.by_topic,
                row.total,
                row.adult_population,
                float(row.share) if row.share is not None else None,
            ]
            for row in rows
        ],
    )
