"""ICT services: rights at the unit, rules at the field, one audit record per change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from congso.core.models import AuditRecord
from congso.ict import services
from congso.ict.models import Equipment, Investment, is_ipv6_ready

pytestmark = pytest.mark.django_db


def test_equipment_is_one_record_per_unit(people, tree):
    for computers in (20, 25):
        services.save_equipment(
            actor=people["commune_admin"],
            unit=tree["commune_a"],
            computers=computers,
            computers_for_officials=18,
            dual_stack="full",
        )
    assert list(Equipment.objects.values_list("computers", flat=True)) == [25]
    assert AuditRecord.objects.filter(action="ict.equipment.save").count() == 2


def test_more_computers_for_officials_than_computers_is_refused(people, tree):
    with pytest.raises(ValidationError) as refused:
        services.save_equipment(
            actor=people["commune_admin"], unit=tree["commune_a"], computers=3,
            computers_for_officials=4,
        )  # fmt: skip
    assert "computers_for_officials" in refused.value.message_dict


@pytest.mark.parametrize(
    ("stack", "result", "ready"),
    [("full", "pass", True), ("full", "fail", False), ("partial", "pass", False),
     ("none", "", False)],
)  # fmt: skip
def test_ipv6_ready_needs_dual_stack_and_a_passed_check(stack, result, ready):
    assert is_ipv6_ready(stack, result) is ready


def test_an_ipv6_check_cannot_be_in_the_future(people, tree):
    with pytest.raises(ValidationError) as refused:
        services.record_ipv6_check(
            actor=people["commune_admin"], unit=tree["commune_a"],
            checked_on=timezone.localdate() + dt.timedelta(days=1), result="pass",
        )  # fmt: skip
    assert "checked_on" in refused.value.message_dict
    equipment = services.record_ipv6_check(
        actor=people["commune_admin"], unit=tree["commune_a"], checked_on=dt.date(2025, 1, 2),
        result="pass", note="test-ipv6.com 10/10",
    )  # fmt: skip
    assert equipment.ipv6_check_result == "pass" and equipment.computers == 0


def test_a_commune_admin_cannot_touch_the_neighbour_and_a_specialist_nothing(people, tree):
    with pytest.raises(PermissionDenied):
        services.add_link(
            actor=people["commune_admin"], unit=tree["commune_b"], kind="fiber", bandwidth_mbps=50
        )
    with pytest.raises(PermissionDenied):
        services.add_link(
            actor=people["specialist"], unit=tree["commune_b"], kind="fiber", bandwidth_mbps=50
        )


def test_training_and_investment_rules(people, tree):
    with pytest.raises(ValidationError) as refused:
        services.record_training(
            actor=people["leader"], unit=tree["district"], date=dt.date(2025, 5, 1), course="",
            hours=Decimal(0), participants=0,
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"course", "hours", "participants"}
    with pytest.raises(ValidationError) as refused:
        services.record_investment(
            actor=people["leader"], unit=tree["district"], year=1999, item="Máy tính",
            planned=-1, spent=0, source="district",
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"year", "planned"}
    services.record_investment(
        actor=people["leader"], unit=tree["commune_b"], year=2025, item="Máy tính",
        planned=100_000_000, spent=90_000_000, source="district",
    )  # fmt: skip
    assert Investment.objects.get().spent == 90_000_000
    assert AuditRecord.objects.get(action="ict.investment.record").data["spent"] == 90_000_000


def test_it_staff_dates(people, tree):
    with pytest.raises(ValidationError) as refused:
        services.add_it_staff(
            actor=people["district_admin"], unit=tree["district"], name="A",
            since=dt.date(2025, 5, 1), until=dt.date(2025, 1, 1),
        )  # fmt: skip
    assert "until" in refused.value.message_dict
