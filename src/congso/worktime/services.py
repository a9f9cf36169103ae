"""The only code that changes the working calendar, and the one place that builds a ``Calendar``.

``calendar_for`` reads the exceptions and the units' working hours from one cache entry, so a
due-date computation costs one cache read. Any change to an exception or a unit drops the entry
(at once and again after commit, so a reader in another process cannot re-cache old rows).
"""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.formatting import date as vndate
from congso.org.models import Unit

from . import deadlines
from .deadlines import (
    DEFAULT_PERIODS,
    Calendar,
    DayKind,
    base_day_kind,
    holiday_name,
    parse_periods,
)
from .models import CalendarException, ExceptionKind, YearConfirmation

logger = logging.getLogger(__name__)

CACHE_KEY = "congso:worktime:calendar:v1"
#: Years the calendar can be edited and browsed for.
FIRST_YEAR, LAST_YEAR = 2000, 2100

WEEKDAY_NAMES = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


def _cache_seconds() -> int:
    return settings.CONGSO_WORKTIME_CACHE_SECONDS


def invalidate_cache(**_signal_kwargs) -> None:
    """Drop the cached calendar now and once more when the surrounding transaction commits."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def _calendar_data() -> dict:
    data = cache.get(CACHE_KEY)
    if data is None:
        rows = list(CalendarException.objects.values_list("date", "kind"))
        data = {
            "days_off": [day for day, kind in rows if kind == ExceptionKind.DAY_OFF],
            "working_days": [day for day, kind in rows if kind == ExceptionKind.WORKING_DAY],
            "unit_hours": {
                pk: hours for pk, hours in Unit.objects.values_list("pk", "working_hours") if hours
            },
        }
        cache.set(CACHE_KEY, data, _cache_seconds())
    return data


def _periods_for(unit: Unit, unit_hours: dict) -> tuple:
    """The unit's own hours, else the nearest ancestor's (a desk works its committee's hours),
    else the default. Ancestors come from the materialised path, whose segments are unit ids."""
    candidates = [unit.working_hours]
    ancestor_ids = [int(s) for s in reversed(unit.path.split(".")[:-1]) if s.isdigit()]
    candidates += [unit_hours.get(pk) for pk in ancestor_ids]
    for hours in candidates:
        if not hours:
            continue
        try:
            return parse_periods(hours)
        except ValueError as error:
            logger.warning("unit %s: ignoring invalid working hours %r (%s)", unit.pk, hours, error)
    return DEFAULT_PERIODS


def calendar_for(unit: Unit | None = None) -> Calendar:
    """The working calendar of ``unit`` (its working hours), or of the whole platform."""
    data = _calendar_data()
    periods = DEFAULT_PERIODS if unit is None else _periods_for(unit, data["unit_hours"])
    return Calendar(
        days_off=frozenset(data["days_off"]),
        working_days=frozenset(data["working_days"]),
        periods=periods,
        time_zone=ZoneInfo(settings.TIME_ZONE),
    )


def exceptions_in(year: int):
    return CalendarException.objects.filter(date__year=year).order_by("date")


# --- changes ----------------------------------------------------------------------------------


def _describe(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {vndate(day)}"


def _check_new_exception(day: dt.date, kind: str, reason: str) -> None:
    """An exception must change the day: a day off on a working day, a working day on a rest day
    or holiday. Anything else is a mistake the admin should see."""
    errors = {}
    if kind not in ExceptionKind.values:
        errors["kind"] = _("Loại ngày không hợp lệ.")
    if not reason.strip():
        errors["reason"] = _("Vui lòng nhập lý do (ví dụ: số văn bản thông báo lịch nghỉ).")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors["date"] = _("Chỉ nhận ngày trong các năm %(first)s–%(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    elif CalendarException.objects.filter(date=day).exists():
        errors["date"] = _(
            "Ngày %(day)s đã có trong danh sách ngày ngoại lệ; hãy xoá dòng cũ trước khi thêm lại."
        ) % {"day": vndate(day)}
    elif kind in ExceptionKind.values:
        message = _kind_conflict(day, kind)
        if message:
            errors["date"] = message
    if errors:
        raise ValidationError(errors)


def _kind_conflict(day: dt.date, kind: str) -> str | None:
    base = base_day_kind(day)
    if kind == ExceptionKind.DAY_OFF:
        if base is DayKind.HOLIDAY:
            return _("Ngày %(day)s đã là ngày nghỉ lễ (%(name)s); không cần thêm ngày nghỉ.") % {
                "day": _describe(day),
                "name": holiday_name(day),
            }
        if base is DayKind.WEEKEND:
            return _(
                "Ngày %(day)s vốn là ngày nghỉ hằng tuần; không thể đặt thành ngày nghỉ thêm."
            ) % {"day": _describe(day)}
    elif base.is_working:
        return _("Ngày %(day)s vốn đã là ngày làm việc; chỉ có thể làm bù vào ngày nghỉ.") % {
            "day": _describe(day)
        }
    return None


@transaction.atomic
def add_exception(
    *, date: dt.date, kind: str, reason: str, legal_basis: str = ""
) -> CalendarException:
    """Record an announced extra day off or swapped working day (audited)."""
    _check_new_exception(date, kind, reason)
    exception = CalendarException(
        date=date, kind=kind, reason=reason.strip(), legal_basis=legal_basis.strip()
    )
    exception.full_clean()
    _withdraw_confirmation(date.year, "worktime.exception.add")
    try:
        with transaction.atomic():
            exception.save()
    except IntegrityError:
        raise ValidationError(
            {"date": _("Ngày %(day)s vừa được người khác thêm.") % {"day": vndate(date)}}
        ) from None
    audit.record(
        "worktime.exception.add",
        exception,
        data={
            "date": date,
            "kind": kind,
            "reason": exception.reason,
            "legal_basis": exception.legal_basis,
        },
    )
    return exception


@transaction.atomic
def remove_exception(exception: CalendarException) -> None:
    """Delete an exception (audited, with what it said, so the log keeps the old calendar)."""
    exception = CalendarException.objects.select_for_update().filter(pk=exception.pk).first()
    if exception is None:
        raise ValidationError(_("Ngày ngoại lệ này đã bị xoá."))
    _withdraw_confirmation(exception.date.year, "worktime.exception.remove")
    audit.record(
        "worktime.exception.remove",
        exception,
        data={
            "date": exception.date,
            "kind": exception.kind,
            "reason": exception.reason,
            "legal_basis": exception.legal_basis,
        },
    )
    exception.delete()


# --- the year's table, confirmed by an administrator -------------------------------------------


def package_version() -> str:
    return holidays.__version__


def confirmation_for(year: int) -> YearConfirmation | None:
    return YearConfirmation.objects.filter(year=year).select_related("confirmed_by").first()


def _withdraw_confirmation(year: int, cause: str) -> None:
    """A change to a confirmed year's table needs a new confirmation (the old one is audited)."""
    confirmation = YearConfirmation.objects.filter(year=year).first()
    if confirmation is None:
        return
    audit.record(
        "worktime.year.unconfirm",
        confirmation,
        data={"year": year, "cause": cause, "confirmed_at": confirmation.confirmed_at},
    )
    confirmation.delete()


@transaction.atomic
def confirm_year(year: int, note: str = "", *, actor) -> YearConfirmation:
    """The administrator confirms the year's table as shown (audited, with the package version).

    Confirming changes no due instant: those already given are stored on each dossier and are
    never recomputed from the calendar (a later correction applies to new computations only).
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("Chỉ nhận các năm %(first)s–%(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    confirmation, _created = YearConfirmation.objects.update_or_create(
        year=year,
        defaults={
            "confirmed_by": actor,
            "confirmed_at": timezone.now(),
            "package_version": package_version(),
            "note": note.strip()[:255],
        },
    )
    audit.record(
        "worktime.year.confirm",
        confirmation,
        data={"year": year, "package_version": confirmation.package_version, "note": note},
    )
    return confirmation


def one_working_day_after(now: dt.datetime, unit: Unit | None = None) -> dt.datetime:
    """The end of one working day of office time from ``now`` on ``unit``'s calendar: what
    "due soon" means for a queue and a reminder (regulations: alert one working day ahead)."""
    calendar = calendar_for(unit)
    hours = calendar.day_length.total_seconds() / 3600
    return deadlines.due_at(calendar, now, hours, deadlines.TimeUnit.WORKING_HOURS)
