"""The rows of the units below and the ranking of communes each sum their unit's whole subtree,
however deep: a province's overview shows the district's row with its communes' dossiers in it,
and a unit outside the subtree adds nothing (``board._subtree_sums``, one pass up the parents)."""

import datetime as dt

import pytest

from congso.dashboard import board, store
from congso.dashboard.board import Period
from congso.org.models import Unit

from .conftest import at, make


@pytest.fixture
def march(long, my, district):
    for unit, count in ((long, 3), (my, 2), (district, 1)):
        for day in range(count):
            make(unit, received=at(2026, 3, 2 + day))
    store.refresh(dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def _received(rows, unit) -> int:
    return next(r for r in rows if r.unit == unit).values["received"].value


def test_a_province_row_of_its_district_sums_the_communes_below(demo, march, long, my, district):
    province = demo["units"]["province"]
    assert district.parent_id == province.pk and long.path.startswith(district.path)
    result = board.build(province, Period.of("month", dt.date(2026, 3, 15)))
    assert _received(result.units, district) == 6  # its own one and its communes' five
    assert _received(result.communes, long) == 3
    assert _received(result.communes, my) == 2
    assert {v.key: v.value for v in result.values}["received"] == 6


def test_a_retired_commune_still_counts_in_its_district_but_has_no_row(demo, march, my, district):
    Unit.objects.filter(pk=my.pk).update(valid_until=dt.date(2026, 4, 1))
    result = board.build(district, Period.of("month", dt.date(2026, 3, 15)))
    assert my not in [r.unit for r in result.communes]
    assert {v.key: v.value for v in result.values}["received"] == 6
