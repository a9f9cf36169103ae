"""A year of the working calendar laid out as month grids (Monday first), for the pages."""

import calendar as _pycalendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .deadlines import Calendar, DayKind, day_kind, holiday_name

KIND_LABELS = {
    DayKind.WORKING: _("Ngày làm việc"),
    DayKind.WEEKEND: _("Nghỉ hằng tuần"),
    DayKind.HOLIDAY: _("Nghỉ lễ, Tết"),
    DayKind.DAY_OFF: _("Nghỉ thêm theo thông báo"),
    DayKind.SWAPPED: _("Làm việc bù"),
}
WEEKDAY_HEADERS = [
    (_("T2"), _("Thứ Hai")),
    (_("T3"), _("Thứ Ba")),
    (_("T4"), _("Thứ Tư")),
    (_("T5"), _("Thứ Năm")),
    (_("T6"), _("Thứ Sáu")),
    (_("T7"), _("Thứ Bảy")),
    (_("CN"), _("Chủ nhật")),
]


@dataclass(frozen=True)
class Cell:
    day: dt.date
    kind: DayKind
    note: str

    @property
    def label(self):
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Month:
    number: int
    name: str
    weeks: list[list[Cell | None]]


def cell(calendar: Calendar, day: dt.date, notes: dict[dt.date, str]) -> Cell:
    kind = day_kind(calendar, day)
    note = notes.get(day) or (holiday_name(day) if kind is DayKind.HOLIDAY else "") or ""
    if not note and kind is DayKind.SWAPPED:
        note = gettext("Làm việc bù theo lịch hoán đổi ngày nghỉ của năm")
    return Cell(day=day, kind=kind, note=note)


def year_grid(calendar: Calendar, year: int, notes: dict[dt.date, str] | None = None) -> list:
    """Twelve months of weeks; empty slots before the 1st and after the last day are ``None``.

    ``notes`` gives the reason shown for a date (the admins' exceptions).
    """
    notes = notes or {}
    months = []
    for number in range(1, 13):
        weeks = [
            [cell(calendar, dt.date(year, number, d), notes) if d else None for d in week]
            for week in _pycalendar.Calendar(firstweekday=0).monthdayscalendar(year, number)
        ]
        months.append(
            Month(number=number, name=gettext("Tháng %(n)s") % {"n": number}, weeks=weeks)
        )
    return months


def notable_days(calendar: Calendar, year: int, notes: dict[dt.date, str] | None = None):
    """The year's holidays, extra days off and swapped days as a list, readable without the grid."""
    notes = notes or {}
    day, last, out = dt.date(year, 1, 1), dt.date(year, 12, 31), []
    while day <= last:
        found = cell(calendar, day, notes)
        if found.kind in (DayKind.HOLIDAY, DayKind.DAY_OFF, DayKind.SWAPPED):
            out.append(found)
        day += dt.timedelta(days=1)
    return out
