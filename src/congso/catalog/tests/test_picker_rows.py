"""The procedures and sectors the officials' filters offer are read once and kept until the
catalogue changes: a desk page reads none, and a procedure withdrawn or a sector renamed shows at
once (the same generation as the procedure pages)."""

import pytest

from congso.catalog import services
from congso.catalog.models import Procedure, Sector
from congso.core.collation import sort_key
from congso.onestop.forms import QueueFilterForm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memory_cache")]

CODE = "2.000635"


def _codes() -> list[str]:
    return [p.code for p in services.picker_rows()["procedures"]]


def test_read_once_then_kept(catalog_data, django_assert_num_queries):
    with django_assert_num_queries(2):
        first = services.picker_rows()
    with django_assert_num_queries(0):
        again = services.picker_rows()
    assert [p.pk for p in again["procedures"]] == [p.pk for p in first["procedures"]]
    assert len(first["procedures"]) == Procedure.objects.filter(is_active=True).count()
    assert len(first["sectors"]) == Sector.objects.count()


def test_active_procedures_in_vietnamese_order(catalog_data):
    names = [p.name for p in services.picker_rows()["procedures"]]
    assert names == [p.name for p in sorted(Procedure.objects.filter(is_active=True), key=_by_name)]


def _by_name(procedure) -> tuple:
    return sort_key(procedure.name)


def test_a_withdrawn_procedure_leaves_the_filter_at_once(catalog_data):
    assert CODE in _codes()
    procedure = Procedure.objects.get(code=CODE)
    procedure.is_active = False
    procedure.save()
    assert CODE not in _codes()
    form = QueueFilterForm({"procedure": str(procedure.pk)})
    assert form.filters() == {}
    assert "procedure" in form.errors


def test_a_renamed_sector_shows_at_once(catalog_data):
    services.picker_rows()
    sector = Sector.objects.first()
    sector.name = "Lĩnh vực đổi tên để thử bộ nhớ đệm"
    sector.save()
    assert sector.name in [s.name for s in services.picker_rows()["sectors"]]


def test_the_filter_offers_and_accepts_the_kept_rows(catalog_data, django_assert_num_queries):
    procedure = Procedure.objects.get(code=CODE)
    services.picker_rows()
    with django_assert_num_queries(0):
        form = QueueFilterForm({"procedure": str(procedure.pk)})
        html = str(form["procedure"])
        filters = form.filters()
    assert filters["procedure"].pk == procedure.pk
    assert f'<option value="{procedure.pk}" selected>{procedure}</option>' in html
