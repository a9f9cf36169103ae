"""Unit services: retirement rules and read-only retired units."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congso.core.models import AuditRecord
from congso.org.models import Unit, UnitKind
from congso.org.services import communes_of, create_unit, retire_unit, update_unit

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 6, 30)


def test_merge_records_date_and_successor(tree):
    unit = retire_unit(tree["commune_b"], on=ON, successor=tree["commune_a"])
    assert unit.valid_until == ON and unit.successor == tree["commune_a"] and unit.is_retired
    record = AuditRecord.objects.get(action="org.unit.retire")
    assert record.unit_id == unit.pk
    assert record.data == {"on": "2025-06-30", "successor": tree["commune_a"].pk}


def test_abolish_without_successor(tree):
    assert retire_unit(tree["desk"], on=ON).successor is None


def test_retired_unit_is_read_only(tree):
    retire_unit(tree["commune_b"], on=ON)
    with pytest.raises(ValidationError, match="chỉ được xem"):
        update_unit(tree["commune_b"], name="Tên mới")
    with pytest.raises(ValidationError, match="đã hết hiệu lực"):
        retire_unit(tree["commune_b"], on=ON)
    with pytest.raises(ValidationError):
        create_unit(
            parent=Unit.objects.get(pk=tree["commune_b"].pk),
            name="Bộ phận Một cửa xã B",
            kind=UnitKind.ONESTOP_DESK,
        )


def test_unit_still_in_force_can_be_edited(tree):
    unit = update_unit(tree["commune_a"], name="UBND xã A mới", valid_from=dt.date(2030, 1, 1))
    assert unit.name == "UBND xã A mới"
    assert update_unit(unit, name="UBND xã A").name == "UBND xã A"  # not active yet, editable


def test_cannot_end_before_it_began(tree):
    with pytest.raises(ValidationError, match="sau ngày bắt đầu"):
        retire_unit(tree["commune_a"], on=dt.date(1999, 12, 31))


def test_successor_is_another_unit(tree):
    with pytest.raises(ValidationError, match="phải là đơn vị khác"):
        retire_unit(tree["commune_a"], on=ON, successor=tree["commune_a"])


def test_successor_is_not_inside_the_retired_unit(tree):
    with pytest.raises(ValidationError, match="không được là đơn vị trực thuộc"):
        retire_unit(tree["district"], on=ON, successor=tree["commune_a"])


def test_successor_is_still_in_force(tree):
    retired = retire_unit(tree["commune_b"], on=ON)
    with pytest.raises(ValidationError, match="hãy chọn đơn vị đang hoạt động"):
        retire_unit(tree["commune_a"], on=ON, successor=retired)


def test_cannot_retire_a_unit_whose_children_live_on(tree):
    with pytest.raises(ValidationError, match="4 đơn vị trực thuộc"):
        retire_unit(tree["district"], on=ON)
    retire_unit(tree["department"], on=ON)
    retire_unit(tree["desk"], on=dt.date(2025, 6, 1))
    retire_unit(tree["commune_a"], on=ON, successor=tree["commune_b"])
    with pytest.raises(ValidationError, match="1 đơn vị trực thuộc"):
        retire_unit(tree["district"], on=ON)
    retire_unit(tree["commune_b"], on=ON)
    assert retire_unit(tree["district"], on=ON).is_retired


def test_child_ending_after_the_parent_blocks_it(tree):
    for child in ("department", "desk", "commune_a"):
        retire_unit(tree[child], on=ON)
    retire_unit(tree["commune_b"], on=ON + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        retire_unit(tree["district"], on=ON)


def test_communes_of_works_on_both_shapes(tree, two_tier):
    assert set(communes_of(tree["province"])) == {tree["commune_a"], tree["commune_b"]}
    assert set(communes_of(two_tier["province"])) == set(two_tier["communes"])
