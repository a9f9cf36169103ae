"""Working calendar and deadline arithmetic (regulations §4) — pure functions, no database.

Every function takes a :class:`Calendar` value: the year's extra days off and swapped working
days (from the admins' table) and the unit's working periods. Public holidays come from the
``holidays`` package (country VN), including its observed days ("nghỉ bù") and the swaps it
knows ("weekend_workdays"); what the package lacks is added as data (``CalendarException``).

Datetimes in are aware; datetimes out are aware, in the calendar's time zone
(Asia/Ho_Chi_Minh). A working period is a half-open wall-clock interval ``[start, end)`` for
"is the office open", but a due time may sit exactly on a period's end (17:00 = close of the day).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property, lru_cache
from numbers import Real
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays
from django.db import models
from django.utils.translation import gettext_lazy as _

Period = tuple[dt.time, dt.time]

DEFAULT_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
#: Commonly 07:00–11:30 and 13:30–17:00 (regulations §4); units may set their own.
DEFAULT_PERIODS: tuple[Period, ...] = (
    (dt.time(7, 0), dt.time(11, 30)),
    (dt.time(13, 30), dt.time(17, 0)),
)
#: Same-day procedures received after 15:00 are due the next working day (Law on Civil Status
#: 2014 art. 16–17 for civil status; Decree 23/2015/NĐ-CP art. 20 for certification).
SAME_DAY_CUTOFF = dt.time(15, 0)
#: No calendar has a year without a working day; a longer search means broken data.
_MAX_SEARCH_DAYS = 366 * 2
_ONE_DAY = dt.timedelta(days=1)


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    SAME_DAY = "same_day", _("trong ngày")


class DayKind(StrEnum):
    """What a date is in a calendar, for the month grid and for checking exceptions."""

    WORKING = "working"  # Monday–Friday, no holiday
    WEEKEND = "weekend"  # Saturday or Sunday, not swapped
    HOLIDAY = "holiday"  # public holiday or its observed day (holidays package)
    DAY_OFF = "day_off"  # extra day off decided for the year (CalendarException)
    SWAPPED = "swapped"  # a rest day made a working day (package or CalendarException)

    @property
    def is_working(self) -> bool:
        return self in (DayKind.WORKING, DayKind.SWAPPED)


# --- public holidays, cached per year ---------------------------------------------------------


@lru_cache(maxsize=256)
def public_holidays(year: int) -> MappingProxyType:
    """The year's public holidays and observed/substituted days: ``{date: Vietnamese name}``."""
    table = holidays.country_holidays("VN", years=year, language="vi")
    return MappingProxyType({day: name for day, name in table.items() if day.year == year})


@lru_cache(maxsize=256)
def _holiday_dates(year: int) -> frozenset[dt.date]:
    return frozenset(public_holidays(year))


@lru_cache(maxsize=256)
def package_swapped_days(year: int) -> frozenset[dt.date]:
    """Rest days the package knows were made working days (e.g. Saturday 22/08/2026)."""
    table = holidays.country_holidays("VN", years=year)
    return frozenset(day for day in getattr(table, "weekend_workdays", ()) if day.year == year)


def base_day_kind(day: dt.date) -> DayKind:
    """The day's kind before the admins' exceptions: weekends, holidays and the package's swaps."""
    if day in _holiday_dates(day.year):
        return DayKind.HOLIDAY
    if day.weekday() >= 5:
        return DayKind.SWAPPED if day in package_swapped_days(day.year) else DayKind.WEEKEND
    return DayKind.WORKING


def holiday_name(day: dt.date) -> str | None:
    return public_holidays(day.year).get(day)


# --- the calendar value ---------------------------------------------------------------------


@dataclass(frozen=True)
class Calendar:
    """Everything the arithmetic needs; built by ``services.calendar_for``, or directly in tests."""

    days_off: frozenset[dt.date] = field(default_factory=frozenset)
    working_days: frozenset[dt.date] = field(default_factory=frozenset)
    periods: tuple[Period, ...] = DEFAULT_PERIODS
    time_zone: dt.tzinfo = DEFAULT_TIME_ZONE
    same_day_cutoff: dt.time = SAME_DAY_CUTOFF

    def __post_init__(self):
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "working_days", frozenset(self.working_days))
        object.__setattr__(self, "periods", tuple(tuple(p) for p in self.periods))
        if self.days_off & self.working_days:
            raise ValueError("a date cannot be both an extra day off and a working day")
        validate_periods(self.periods)

    @cached_property
    def day_length(self) -> dt.timedelta:
        return sum((_span(start, end) for start, end in self.periods), dt.timedelta())

    @property
    def opening(self) -> dt.time:
        return self.periods[0][0]

    @property
    def closing(self) -> dt.time:
        return self.periods[-1][1]


def validate_periods(periods) -> None:
    """Periods must be non-empty, each start before its end, in order and not overlapping."""
    if not periods:
        raise ValueError("at least one working period is needed")
    previous_end = dt.time.min
    for index, (start, end) in enumerate(periods):
        if not start < end:
            raise ValueError(f"period {index + 1}: start must be before end")
        if index and start < previous_end:
            raise ValueError(f"period {index + 1} overlaps or precedes the one before")
        previous_end = end


def parse_periods(value) -> tuple[Period, ...]:
    """``[["07:00","11:30"],["13:30","17:00"]]`` (the ``Unit.working_hours`` JSON) → periods.

    Raises ``ValueError`` on anything else, so a caller can fall back or report.
    """
    if not isinstance(value, list | tuple):
        raise ValueError("working hours must be a list of [start, end] pairs")
    periods = []
    for pair in value:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError("each working period is a [start, end] pair")
        periods.append(tuple(_parse_hhmm(text) for text in pair))
    periods = tuple(periods)
    validate_periods(periods)
    return periods


def _parse_hhmm(text) -> dt.time:
    if not isinstance(text, str):
        raise ValueError("times are written HH:MM")
    try:
        return dt.datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError(f"{text!r} is not a time written HH:MM") from None


# --- days -------------------------------------------------------------------------------------


def is_working_day(calendar: Calendar, day: dt.date) -> bool:
    """Mon–Fri that is neither a public holiday nor an extra day off, or a swapped working day.

    The admins' exceptions win over the package, so a wrong package estimate can be corrected.
    """
    if day in calendar.working_days:
        return True
    if day in calendar.days_off:
        return False
    if day.weekday() >= 5:
        return day in package_swapped_days(day.year) and day not in _holiday_dates(day.year)
    return day not in _holiday_dates(day.year)


def day_kind(calendar: Calendar, day: dt.date) -> DayKind:
    if day in calendar.working_days:
        base = base_day_kind(day)
        return DayKind.WORKING if base is DayKind.WORKING else DayKind.SWAPPED
    if day in calendar.days_off:
        return DayKind.DAY_OFF
    return base_day_kind(day)


def next_working_day(calendar: Calendar, day: dt.date) -> dt.date:
    """The first working day strictly after ``day``."""
    candidate = day
    for _attempt in range(_MAX_SEARCH_DAYS):
        candidate += _ONE_DAY
        if is_working_day(calendar, candidate):
            return candidate
    raise ValueError("no working day within two years: check the calendar's days off")


def _working_day_on_or_after(calendar: Calendar, day: dt.date) -> dt.date:
    return day if is_working_day(calendar, day) else next_working_day(calendar, day)


# --- instants ---------------------------------------------------------------------------------


def _span(start: dt.time, end: dt.time) -> dt.timedelta:
    return dt.timedelta(
        hours=end.hour - start.hour,
        minutes=end.minute - start.minute,
        seconds=end.second - start.second,
        microseconds=end.microsecond - start.microsecond,
    )


def _at(calendar: Calendar, day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=calendar.time_zone)


def _local(calendar: Calendar, instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return instant.astimezone(calendar.time_zone)


def closing_instant(calendar: Calendar, day: dt.date) -> dt.datetime:
    """The end of the day's last working period: when "the end of that day" falls for an office."""
    return _at(calendar, day, calendar.closing)


def is_working_instant(calendar: Calendar, instant: dt.datetime) -> bool:
    """Inside a working period of a working day, both ends included (17:00 is still the day)."""
    local = _local(calendar, instant)
    if not is_working_day(calendar, local.date()):
        return False
    time = local.time()
    return any(start <= time <= end for start, end in calendar.periods)


def next_working_instant(calendar: Calendar, instant: dt.datetime) -> dt.datetime:
    """``instant`` itself during office hours, otherwise the start of the next working period.

    Regulations §4: a dossier filed outside office hours starts counting at the next period.
    """
    local = _local(calendar, instant)
    day, time = local.date(), local.time()
    if is_working_day(calendar, day):
        for start, end in calendar.periods:
            if time < start:
                return _at(calendar, day, start)
            if time < end:
                return local
    return _at(calendar, next_working_day(calendar, day), calendar.opening)


def _add_working_time(
    calendar: Calendar, instant: dt.datetime, amount: dt.timedelta
) -> dt.datetime:
    """Consume ``amount`` of working time from ``instant``, period by period, day by day."""
    current = next_working_instant(calendar, instant)
    day, time, remaining = current.date(), current.time(), amount
    while True:
        for start, end in calendar.periods:
            if time >= end:
                continue
            begin = max(time, start)
            available = _span(begin, end)
            if remaining <= available:
                return _at(calendar, day, begin) + remaining
            remaining -= available
        day = next_working_day(calendar, day)
        while remaining > calendar.day_length:
            remaining -= calendar.day_length
            day = next_working_day(calendar, day)
        time = dt.time.min


def working_time_between(calendar: Calendar, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Working time from ``start`` to ``end`` (negative when ``end`` is earlier).

    Used for a step's timeliness: how much of the office's time a hand-over took or lacked.
    """
    first, last = _local(calendar, start), _local(calendar, end)
    if last < first:
        return -working_time_between(calendar, end, start)
    total = dt.timedelta()
    day = first.date()
    while day <= last.date():
        if is_working_day(calendar, day):
            if first.date() < day < last.date():
                total += calendar.day_length
            else:
                for period_start, period_end in calendar.periods:
                    low = max(_at(calendar, day, period_start), first)
                    high = min(_at(calendar, day, period_end), last)
                    if high > low:
                        total += high - low
        day += _ONE_DAY
    return total


# --- due dates --------------------------------------------------------------------------------


def _as_amount(amount) -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, Real | Decimal):
        raise ValueError("the amount must be a number")
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise ValueError("the amount must be a number") from None
    if not value.is_finite() or value < 0:
        raise ValueError("the amount must be a finite number, zero or more")
    return value


def due_at(calendar: Calendar, received_at: dt.datetime, amount, unit) -> dt.datetime:
    """When the result of a dossier received at ``received_at`` is due.

    Counting starts at ``next_working_instant(received_at)`` (regulations §4: filed outside office
    hours → the next working period), the effective moment of receipt. Then, by unit:

    * **working days** — the day of receipt is not counted and the period ends at the end of its
      last day (Civil Code 2015 art. 147(2) and art. 148(1), which apply to time limits set by
      other laws unless those say otherwise, art. 144; Decree 118/2025/NĐ-CP counts processing
      time from the receipt of a complete dossier). So the due time is the close of the N-th
      working day *after* the day of receipt: received Monday 09:00, 3 working days → Thursday
      17:00. Zero days → the close of the day of receipt. Less than one day (0.5) is that share
      of the unit's working day counted in working hours from the moment of receipt (0.5 from
      Monday 09:00 with the default periods → Monday 15:00: a step allotted half a day must not
      end on the next day). Beyond one day, the fraction adds that share of a working day's hours
      after the close of the whole days (1.5 from Monday 09:00 → Wednesday 11:00), so a longer
      amount never ends earlier than a shorter one.
    * **calendar days** — the N-th calendar day after the day of receipt (art. 147(2)); when it is
      not a working day the period ends at the close of the next working day (art. 148(2)).
      Only whole days are accepted.
    * **working hours** — the hours are consumed across working periods and working days; the
      lunch break, evenings, weekends and holidays do not count.
    * **same day** — received up to 15:00 → the close of that working day; after 15:00 → the
      close of the next working day. ``amount`` is ignored.
    """
    unit = TimeUnit(unit)
    value = _as_amount(amount)
    start = next_working_instant(calendar, received_at)
    if unit is TimeUnit.WORKING_HOURS:
        return _add_working_time(calendar, start, _hours(value))
    if unit is TimeUnit.SAME_DAY:
        return _same_day(calendar, start)
    if unit is TimeUnit.CALENDAR_DAYS:
        return _calendar_days(calendar, start, value)
    return _working_days(calendar, start, value)


def _hours(value: Decimal) -> dt.timedelta:
    return dt.timedelta(microseconds=int(value * 3_600_000_000))


def _share_of_day(calendar: Calendar, fraction: Decimal) -> dt.timedelta:
    micros = int(fraction * (calendar.day_length // dt.timedelta(microseconds=1)))
    return dt.timedelta(microseconds=micros)


def _working_days(calendar: Calendar, start: dt.datetime, value: Decimal) -> dt.datetime:
    whole = int(value)
    if not whole and value:
        # Less than a day cannot end "at the close of a day after receipt": it is that share of
        # the unit's working day, counted from the moment of receipt (0.5 from 09:00 → 15:00).
        return _add_working_time(calendar, start, _share_of_day(calendar, value))
    day = start.date()
    for _day in range(whole):
        day = next_working_day(calendar, day)
    due = closing_instant(calendar, day)
    fraction = value - whole
    if fraction:
        due = _add_working_time(calendar, due, _share_of_day(calendar, fraction))
    return due


def _calendar_days(calendar: Calendar, start: dt.datetime, value: Decimal) -> dt.datetime:
    if value != value.to_integral_value():
        raise ValueError("calendar days must be a whole number")
    last = start.date() + dt.timedelta(days=int(value))
    return closing_instant(calendar, _working_day_on_or_after(calendar, last))


def _same_day(calendar: Calendar, start: dt.datetime) -> dt.datetime:
    day = start.date()
    if start.time() > calendar.same_day_cutoff:
        day = next_working_day(calendar, day)
    return closing_instant(calendar, day)


# --- the clock: pauses, steps inside the dossier, "about to be late" ---------------------------


def previous_working_day(calendar: Calendar, day: dt.date) -> dt.date:
    """The last working day strictly before ``day``."""
    candidate = day
    for _attempt in range(_MAX_SEARCH_DAYS):
        candidate -= _ONE_DAY
        if is_working_day(calendar, candidate):
            return candidate
    raise ValueError("no working day within two years: check the calendar's days off")


def _previous_working_instant(calendar: Calendar, instant: dt.datetime) -> dt.datetime:
    """``instant`` itself during office hours, otherwise the end of the last working period."""
    local = _local(calendar, instant)
    day, time = local.date(), local.time()
    if is_working_day(calendar, day):
        for start, end in reversed(calendar.periods):
            if time > end:
                return _at(calendar, day, end)
            if time >= start:
                return local
    return closing_instant(calendar, previous_working_day(calendar, day))


def _subtract_working_time(
    calendar: Calendar, instant: dt.datetime, amount: dt.timedelta
) -> dt.datetime:
    """Go back ``amount`` of working time from ``instant``, period by period, day by day."""
    current = _previous_working_instant(calendar, instant)
    day, time, remaining = current.date(), current.time(), amount
    while True:
        for start, end in reversed(calendar.periods):
            if time <= start:
                continue
            finish = min(time, end)
            available = _span(start, finish)
            if remaining <= available:
                return _at(calendar, day, finish) - remaining
            remaining -= available
        day = previous_working_day(calendar, day)
        while remaining > calendar.day_length:
            remaining -= calendar.day_length
            day = previous_working_day(calendar, day)
        time = dt.time.max


def shift_working_time(
    calendar: Calendar, instant: dt.datetime, amount: dt.timedelta
) -> dt.datetime:
    """``instant`` moved by ``amount`` of working time, forward or (negative) back."""
    if amount > dt.timedelta():
        return _add_working_time(calendar, instant, amount)
    if amount < dt.timedelta():
        return _subtract_working_time(calendar, instant, -amount)
    return _local(calendar, instant)


def resumed_due(
    calendar: Calendar, stopped_at: dt.datetime, due: dt.datetime, resumed_at: dt.datetime
) -> dt.datetime:
    """The due instant after the clock stood still from ``stopped_at`` to ``resumed_at``.

    The time the dossier waits for the applicant (a supplement or correction, a financial
    obligation) is not part of the processing time (Decree 61/2018/NĐ-CP, kept by Decree
    118/2025/NĐ-CP: the time limit runs from the receipt of a complete dossier; the national
    portal's on-time formula subtracts that waiting time). So the working time that was left at
    the stop is left again at the resumption; a dossier already late when stopped stays late
    by the same working time.
    """
    left = working_time_between(calendar, stopped_at, due)
    return shift_working_time(calendar, resumed_at, left)


def allotment(calendar: Calendar, amount, unit) -> dt.timedelta:
    """The working time a step's allotment takes in the plan, to keep room for later steps.

    Days (working or, rarely, calendar days) count whole working days of the unit; hours are
    hours; a same-day step takes no reserved time (it ends with the day it starts in).
    """
    unit = TimeUnit(unit)
    value = _as_amount(amount)
    if unit is TimeUnit.WORKING_HOURS:
        return _hours(value)
    if unit is TimeUnit.SAME_DAY:
        return dt.timedelta()
    return _share_of_day(calendar, value)


def step_due(
    calendar: Calendar,
    start: dt.datetime,
    amount,
    unit,
    *,
    dossier_due: dt.datetime,
    reserved: dt.timedelta | None,
) -> dt.datetime:
    """When a step started at ``start`` is due, inside the dossier's due instant.

    The receipt day is counted once, for the dossier (Decree 61/2018/NĐ-CP and Decree
    118/2025/NĐ-CP: the time limit of the procedure is the whole time of every agency's steps,
    Circular 01/2018/TT-VPCP form 06 records each step's allotment inside it). A step never ends
    after the dossier: the last step (``reserved`` None) ends at the dossier's due instant; an
    earlier one ends at its own allotment or earlier, leaving ``reserved`` working time — the
    later steps' allotments — before the dossier's due instant.
    """
    if reserved is None:
        return _local(calendar, dossier_due)
    own = due_at(calendar, start, amount, unit)
    latest = shift_working_time(calendar, dossier_due, -reserved)
    return min(own, latest)


def due_soon(calendar: Calendar, now: dt.datetime, due: dt.datetime) -> bool:
    """Late already, or due within one working day of the unit: when a dossier is "about to be
    late" and its agency may apologise and set a new date (form 04, Circular 01/2018/TT-VPCP;
    Decree 61/2018/NĐ-CP on overdue dossiers, kept by Decree 118/2025/NĐ-CP)."""
    return working_time_between(calendar, now, due) <= calendar.day_length
