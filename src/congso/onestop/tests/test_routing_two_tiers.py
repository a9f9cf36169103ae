"""Department steps in a two-tier province: since 1 July 2025 communes sit directly under the
province (Resolution 190/2025/QH15, Law on Local Government Organisation 2025), so a step
naming a department symbol goes to the province's department (sở); with a district it goes to
the district's office (phòng)."""

import pytest

from congso.onestop.routing import resolve
from congso.org.models import UnitKind
from congso.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return UnitFactory(name="UBND tỉnh Thử", kind=UnitKind.PROVINCE)


def _department(parent, name, symbol="TP"):
    return UnitFactory(name=name, kind=UnitKind.DEPARTMENT, symbol=symbol, parent=parent)


def test_a_commune_under_the_province_reaches_the_provincial_department(province):
    justice = _department(province, "Sở Tư pháp")
    commune = UnitFactory(name="UBND xã Hai Cấp", parent=province)
    assert resolve("TP", receiving_unit=commune) == justice
    assert resolve("province", receiving_unit=commune) == province


def test_with_a_district_the_district_office_wins(province):
    _department(province, "Sở Tư pháp")
    district = UnitFactory(name="UBND huyện Ba Cấp", kind=UnitKind.DISTRICT, parent=province)
    office = _department(district, "Phòng Tư pháp")
    commune = UnitFactory(name="UBND xã Ba Cấp", parent=district)
    assert resolve("TP", receiving_unit=commune) == office


def test_an_unknown_symbol_stays_at_the_commune(province):
    commune = UnitFactory(name="UBND xã Hai Cấp", parent=province)
    assert resolve("XYZ", receiving_unit=commune) == commune
