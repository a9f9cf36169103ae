"""Which kinds of unit may sit under which: the tree's shape rules, as a pure function."""

from congso.org.models import UnitKind, allowed_child_kinds

K = UnitKind


def test_a_root_is_a_province():
    assert allowed_child_kinds(None) == [K.PROVINCE]


def test_a_province_takes_districts_or_communes_directly():
    kinds = set(allowed_child_kinds(K.PROVINCE))
    assert {K.DISTRICT, K.COMMUNE, K.WARD, K.TOWNSHIP, K.DEPARTMENT, K.ONESTOP_DESK} == kinds


def test_a_district_takes_commune_level_units_and_offices():
    kinds = set(allowed_child_kinds(K.DISTRICT))
    assert kinds == {K.COMMUNE, K.WARD, K.TOWNSHIP, K.DEPARTMENT, K.ONESTOP_DESK}


def test_a_commune_takes_only_offices():
    for kind in (K.COMMUNE, K.WARD, K.TOWNSHIP):
        assert set(allowed_child_kinds(kind)) == {K.DEPARTMENT, K.ONESTOP_DESK}


def test_offices_take_nothing():
    assert allowed_child_kinds(K.DEPARTMENT) == []
    assert allowed_child_kinds(K.ONESTOP_DESK) == []
