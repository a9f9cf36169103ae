"""Adding and removing exceptions (validated, audited) and building the calendar (cached)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from congso.core.context import AuditActor, acting_as
from congso.core.models import AuditRecord
from congso.org.services import update_unit
from congso.worktime.deadlines import DEFAULT_PERIODS, Calendar, is_working_day
from congso.worktime.models import CalendarException, ExceptionKind
from congso.worktime.services import (
    CACHE_KEY,
    add_exception,
    calendar_for,
    exceptions_in,
    remove_exception,
)

pytestmark = pytest.mark.django_db

DAY_OFF, WORKING_DAY = ExceptionKind.DAY_OFF, ExceptionKind.WORKING_DAY
REASON = "Nghỉ Tết Dương lịch 2026"


def test_without_exceptions_the_calendar_is_the_default():
    assert calendar_for() == Calendar()


def test_add_day_off_and_swapped_working_day():
    with acting_as(AuditActor(user_id=5, username="quantri", ip="10.0.0.9")):
        off = add_exception(
            date=dt.date(2026, 1, 2), kind=DAY_OFF, reason=REASON, legal_basis="12729/VPCP-KGVX"
        )
        add_exception(date=dt.date(2026, 1, 10), kind=WORKING_DAY, reason="Làm bù")
    calendar = calendar_for()
    assert calendar.days_off == {dt.date(2026, 1, 2)}
    assert calendar.working_days == {dt.date(2026, 1, 10)}
    assert not is_working_day(calendar, dt.date(2026, 1, 2))
    record = AuditRecord.objects.get(action="worktime.exception.add", object_id=str(off.pk))
    assert record.actor == "quantri" and record.ip == "10.0.0.9"
    assert record.data == {
        "date": "2026-01-02",
        "kind": "day_off",
        "reason": REASON,
        "legal_basis": "12729/VPCP-KGVX",
    }


@pytest.mark.parametrize(
    ("date", "kind", "message"),
    [
        (dt.date(2026, 2, 17), DAY_OFF, "đã là ngày nghỉ lễ (Tết Nguyên Đán)"),
        (dt.date(2026, 3, 7), DAY_OFF, "thứ Bảy 07/03/2026 vốn là ngày nghỉ hằng tuần"),
        (dt.date(2026, 3, 8), DAY_OFF, "Chủ nhật 08/03/2026 vốn là ngày nghỉ hằng tuần"),
        (dt.date(2026, 3, 9), WORKING_DAY, "thứ Hai 09/03/2026 vốn đã là ngày làm việc"),
        (dt.date(2026, 8, 22), WORKING_DAY, "thứ Bảy 22/08/2026 vốn đã là ngày làm việc"),
        (dt.date(1999, 12, 31), DAY_OFF, "Chỉ nhận ngày trong các năm 2000–2100"),
    ],
)
def test_exceptions_that_change_nothing_are_refused(date, kind, message):
    with pytest.raises(ValidationError) as error:
        add_exception(date=date, kind=kind, reason=REASON)
    assert message in error.value.message_dict["date"][0]
    assert not CalendarException.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="worktime.").exists()


def test_reason_and_kind_are_required():
    with pytest.raises(ValidationError) as error:
        add_exception(date=dt.date(2026, 3, 9), kind="holiday", reason="  ")
    assert set(error.value.message_dict) == {"kind", "reason"}
    assert not CalendarException.objects.exists()


def test_one_exception_per_date():
    add_exception(date=dt.date(2026, 3, 9), kind=DAY_OFF, reason=REASON)
    with pytest.raises(ValidationError) as error:
        add_exception(date=dt.date(2026, 3, 9), kind=DAY_OFF, reason=REASON)
    assert "đã có trong danh sách" in error.value.message_dict["date"][0]
    assert CalendarException.objects.count() == 1


def test_package_data_can_be_corrected():
    """A wrong package estimate (a holiday, a swap) can be overridden by the admins."""
    add_exception(date=dt.date(2027, 2, 4), kind=WORKING_DAY, reason="Sửa lịch Tết 2027")
    add_exception(date=dt.date(2026, 8, 22), kind=DAY_OFF, reason="Không làm bù")
    calendar = calendar_for()
    assert is_working_day(calendar, dt.date(2027, 2, 4))
    assert not is_working_day(calendar, dt.date(2026, 8, 22))


def test_remove_exception_is_audited_and_updates_the_calendar():
    item = add_exception(date=dt.date(2026, 1, 2), kind=DAY_OFF, reason=REASON)
    assert dt.date(2026, 1, 2) in calendar_for().days_off
    remove_exception(item)
    assert not CalendarException.objects.exists()
    assert calendar_for().days_off == frozenset()
    record = AuditRecord.objects.get(action="worktime.exception.remove")
    assert record.object_id == str(item.pk)
    assert record.data["date"] == "2026-01-02" and record.data["reason"] == REASON
    with pytest.raises(ValidationError):
        remove_exception(item)


def test_exceptions_in_a_year():
    add_exception(date=dt.date(2026, 1, 2), kind=DAY_OFF, reason=REASON)
    add_exception(date=dt.date(2027, 1, 4), kind=DAY_OFF, reason=REASON)
    assert [e.date for e in exceptions_in(2026)] == [dt.date(2026, 1, 2)]


def test_calendar_is_read_from_the_cache(django_assert_max_num_queries):
    calendar_for()
    assert cache.get(CACHE_KEY) is not None
    with django_assert_max_num_queries(1):  # the cache read itself with the database cache
        calendar_for()


def test_changes_outside_the_services_also_drop_the_cache():
    assert calendar_for().days_off == frozenset()
    CalendarException.objects.create(date=dt.date(2026, 3, 9), kind=DAY_OFF, reason="admin")
    assert calendar_for().days_off == {dt.date(2026, 3, 9)}
    CalendarException.objects.all().delete()
    assert calendar_for().days_off == frozenset()


def test_cache_is_dropped_again_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_exception(date=dt.date(2026, 3, 9), kind=DAY_OFF, reason=REASON)
        # another process reads the old rows before this transaction commits
        cache.set(CACHE_KEY, {"days_off": [], "working_days": [], "unit_hours": {}})
    assert calendar_for().days_off == {dt.date(2026, 3, 9)}


def test_unit_working_hours_and_inheritance(tree):
    hours = [["07:30", "11:30"], ["13:30", "17:30"]]
    expected = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 30)))
    assert calendar_for(tree["desk"]).periods == DEFAULT_PERIODS
    district = update_unit(tree["district"], working_hours=hours)
    assert calendar_for(district).periods == expected
    assert calendar_for(tree["desk"]).periods == expected  # the desk works its committee's hours
    assert calendar_for(tree["province"]).periods == DEFAULT_PERIODS
    assert calendar_for().periods == DEFAULT_PERIODS
    desk = update_unit(tree["desk"], working_hours=[["08:00", "12:00"]])
    assert calendar_for(desk).periods == ((dt.time(8), dt.time(12)),)


def test_invalid_unit_hours_fall_back_to_the_default(tree, caplog):
    commune = update_unit(tree["commune_a"], working_hours=[["17:00", "07:00"]])
    assert calendar_for(commune).periods == DEFAULT_PERIODS
    assert "ignoring invalid working hours" in caplog.text
