"""The only code that changes the ICT tables: rights checked at the unit, one transaction, an
audit record for each change."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.permissions import acting_units, may, scope
from congso.core import audit

from .models import CheckResult, Equipment, Investment, ItStaff, NetworkLink, Training

VIEW, MANAGE = "ict.view", "ict.manage"


def _require(user, unit) -> None:
    if not may(user, MANAGE, unit):
        raise PermissionDenied(_("Bạn không quản lý hạ tầng CNTT của đơn vị này."))


def units_for(user, action: str = MANAGE):
    return acting_units(user, action)


def visible(queryset, user, unit_field: str = "unit"):
    return scope(user, VIEW, queryset, unit_field)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _not_future(day: dt.date | None, field: str, errors: dict) -> None:
    if day and day > timezone.localdate():
        errors[field] = [_("Ngày không được ở tương lai.")]


@transaction.atomic
def save_equipment(
    *, actor, unit, computers, computers_for_officials, ipv6_address_plan="", dual_stack="none"
) -> Equipment:
    _require(actor, unit)
    if computers_for_officials > computers:
        _raise({"computers_for_officials": [_("Không được nhiều hơn tổng số máy tính.")]})
    equipment, _created = Equipment.objects.update_or_create(
        unit=unit,
        defaults={
            "computers": computers,
            "computers_for_officials": computers_for_officials,
            "ipv6_address_plan": (ipv6_address_plan or "").strip(),
            "dual_stack": dual_stack,
        },
    )
    audit.record(
        "ict.equipment.save",
        equipment,
        unit_id=unit.pk,
        data={"computers": computers, "officials": computers_for_officials, "ipv6": dual_stack},
    )
    return equipment


@transaction.atomic
def record_ipv6_check(*, actor, unit, checked_on, result, note="") -> Equipment:
    _require(actor, unit)
    errors: dict = {}
    _not_future(checked_on, "checked_on", errors)
    if result not in CheckResult.values:
        errors["result"] = [_("Hãy chọn kết quả kiểm tra.")]
    _raise(errors)
    equipment, _created = Equipment.objects.get_or_create(unit=unit)
    equipment.ipv6_checked_on = checked_on
    equipment.ipv6_check_result = result
    equipment.ipv6_check_note = (note or "").strip()
    equipment.save(update_fields=["ipv6_checked_on", "ipv6_check_result", "ipv6_check_note"])
    audit.record(
        "ict.ipv6.check", equipment, unit_id=unit.pk, data={"on": checked_on, "result": result}
    )
    return equipment


@transaction.atomic
def add_link(*, actor, unit, kind, bandwidth_mbps, provider="") -> NetworkLink:
    _require(actor, unit)
    if not bandwidth_mbps or bandwidth_mbps < 1:
        _raise({"bandwidth_mbps": [_("Băng thông phải từ 1 Mbps trở lên.")]})
    link = NetworkLink.objects.create(
        unit=unit, kind=kind, bandwidth_mbps=bandwidth_mbps, provider=(provider or "").strip()
    )
    audit.record("ict.link.add", link, unit_id=unit.pk, data={"kind": kind, "mbps": bandwidth_mbps})
    return link


@transaction.atomic
def add_it_staff(*, actor, unit, name, since, title="", full_time=False, until=None) -> ItStaff:
    _require(actor, unit)
    errors: dict = {}
    if not (name or "").strip():
        errors["name"] = [_("Hãy nhập họ và tên.")]
    if until and since and until < since:
        errors["until"] = [_("Ngày kết thúc phải sau ngày bắt đầu.")]
    _raise(errors)
    staff = ItStaff.objects.create(
        unit=unit, name=name.strip(), title=title, full_time=full_time, since=since, until=until
    )
    audit.record("ict.staff.add", staff, unit_id=unit.pk, data={"full_time": full_time})
    return staff


@transaction.atomic
def record_training(*, actor, unit, date, course, hours, participants) -> Training:
    _require(actor, unit)
    errors: dict = {}
    _not_future(date, "date", errors)
    if not (course or "").strip():
        errors["course"] = [_("Hãy nhập tên khoá học.")]
    if hours is None or hours <= 0:
        errors["hours"] = [_("Số giờ phải lớn hơn 0.")]
    if not participants or participants < 1:
        errors["participants"] = [_("Số người tham gia phải từ 1 trở lên.")]
    _raise(errors)
    training = Training.objects.create(
        unit=unit, date=date, course=course.strip(), hours=hours, participants=participants
    )
    audit.record(
        "ict.training.record",
        training,
        unit_id=unit.pk,
        data={"hours": str(hours), "participants": participants},
    )
    return training


@transaction.atomic
def record_investment(*, actor, unit, year, item, planned, spent, source) -> Investment:
    _require(actor, unit)
    errors: dict = {}
    if not 2000 <= year <= timezone.localdate().year + 5:
        errors["year"] = [_("Năm không hợp lệ.")]
    if not (item or "").strip():
        errors["item"] = [_("Hãy nhập hạng mục đầu tư.")]
    if planned is None or planned < 0:
        errors["planned"] = [_("Số tiền không được âm.")]
    if spent is None or spent < 0:
        errors["spent"] = [_("Số tiền không được âm.")]
    _raise(errors)
    investment = Investment.objects.create(
        unit=unit, year=year, item=item.strip(), planned=planned, spent=spent, source=source
    )
    audit.record(
        "ict.investment.record",
        investment,
        unit_id=unit.pk,
        data={"year": year, "planned": planned, "spent": spent, "source": source},
    )
    return investment
