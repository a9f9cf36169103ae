"""Periods of registers, reports and figures: whole local days ``start`` … ``end`` inclusive,
read as the half-open instants [``begin``, ``finish``) in the platform's time zone.

One definition, so that the one-stop register, the period report, the dashboard and the
feedback figures agree to the second on what "March" means: a dossier received at 23:59:59 on
31/03 belongs to March everywhere, one received at 00:00:00 on 01/04 nowhere in March.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

KINDS = ("month", "quarter", "year", "custom")


def local_midnight(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in the platform's time zone (``CONGSO_TIME_ZONE``)."""
    return dt.datetime.combine(day, dt.time.min, ZoneInfo(settings.TIME_ZONE))


def end_of_day(day: dt.date) -> dt.datetime:
    """The instant a day ends in Vietnam: a task or document due on ``day`` is late after it."""
    return local_midnight(day + dt.timedelta(days=1))


def _months_later(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    #: How the period was chosen (month, quarter, year or custom); two periods with the same days
    #: are the same period.
    kind: str = field(default="custom", compare=False)

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("period ends before it starts")

    @property
    def begin(self) -> dt.datetime:
        return local_midnight(self.start)

    @property
    def finish(self) -> dt.datetime:
        return local_midnight(self.end + dt.timedelta(days=1))

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return self.begin, self.finish

    @classmethod
    def of(cls, kind: str, day: dt.date) -> Period:
        """The month, quarter or year containing ``day``."""
        if kind == "year":
            return cls(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), kind)
        months = 3 if kind == "quarter" else 1
        first = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
        return cls(first, _months_later(first, months) - dt.timedelta(days=1), kind)

    @classmethod
    def month_of(cls, day: dt.date) -> Period:
        return cls.of("month", day)
