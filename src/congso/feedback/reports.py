"""Satisfaction reports for officials (per unit or per procedure, for a period) and the public
transparency table (complaints per unit this year). No personal data in either."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import spreadsheets
from congso.core.collation import by_vietnamese
from congso.core.periods import Period

from .lifecycle import ComplaintState
from .models import Complaint, Overall, Rating


@dataclass
class Row:
    label: str
    ratings: int = 0
    very_satisfied: int = 0
    satisfied: int = 0
    unsatisfied: int = 0
    complaints: int = 0
    answered: int = 0
    answered_on_time: int = 0

    @property
    def satisfaction(self) -> str:
        """Share of ratings that are (very) satisfied, as a percentage for display."""
        if not self.ratings:
            return "—"
        share = 100 * (self.very_satisfied + self.satisfied) / self.ratings
        return f"{share:.1f}".replace(".", ",") + " %"


def satisfaction(units, start: dt.date, end: dt.date, by: str = "unit") -> list[Row]:
    """Ratings and complaints of ``units`` in the period, grouped by unit or by procedure."""
    first, after = Period(start, end).bounds
    field, label = ("procedure", "procedure__name") if by == "procedure" else ("unit", "unit__name")
    rows: dict[object, Row] = {}
    ratings = (
        Rating.objects.filter(unit__in=units, created_at__gte=first, created_at__lt=after)
        .values(field, label)
        .annotate(
            n=Count("id"),
            very=Count("id", filter=Q(overall=Overall.VERY_SATISFIED)),
            ok=Count("id", filter=Q(overall=Overall.SATISFIED)),
            bad=Count("id", filter=Q(overall=Overall.UNSATISFIED)),
        )
    )
    for item in ratings:
        row = rows.setdefault(item[field], Row(item[label]))
        row.ratings, row.very_satisfied = item["n"], item["very"]
        row.satisfied, row.unsatisfied = item["ok"], item["bad"]
    complaints = (
        Complaint.objects.filter(unit__in=units, received_at__gte=first, received_at__lt=after)
        .values(field, label)
        .annotate(
            n=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            on_time=Count("id", filter=Q(answered_at__lte=F("due_at"))),
        )
    )
    for item in complaints:
        row = rows.setdefault(item[field], Row(item[label] or _("Không gắn thủ tục")))
        row.complaints, row.answered, row.answered_on_time = (
            item["n"],
            item["answered"],
            item["on_time"],
        )
    return sorted(rows.values(), key=lambda r: r.label)


def transparency(year: int | None = None) -> list[dict]:
    """Per unit: complaints received this year, answered, answered on time, still open."""
    year = year or timezone.localdate().year
    first, after = Period.of("year", dt.date(year, 1, 1)).bounds
    counted = (
        Complaint.objects.filter(received_at__gte=first, received_at__lt=after)
        .exclude(state=ComplaintState.WITHDRAWN)
        .values("unit__name")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            on_time=Count("id", filter=Q(answered_at__lte=F("due_at"))),
            open=Count(
                "id", filter=Q(state__in=[ComplaintState.RECEIVED, ComplaintState.ASSIGNED])
            ),
        )
        .order_by(by_vietnamese("unit__name"))
    )
    return list(counted)


def satisfaction_xlsx(rows: list[Row], title: str) -> bytes:
    values = (
        [
            row.label,
            row.ratings,
            row.very_satisfied,
            row.satisfied,
            row.unsatisfied,
            row.satisfaction,
            row.complaints,
            row.answered,
            row.answered_on_time,
        ]
        for row in rows
    )
    return spreadsheets.workbook(
        _("Mức độ hài lòng"), [title], report_headers(), values, widths=(48,)
    )


def report_headers() -> list[str]:
    return [
        _("Đơn vị / thủ tục"),
        _("Lượt đánh giá"),
        _("Rất hài lòng"),
        _("Hài lòng"),
        _("Không hài lòng"),
        _("Tỷ lệ hài lòng"),
        _("Phản ánh, kiến nghị"),
        _("Đã trả lời"),
        _("Trả lời đúng hạn"),
    ]
