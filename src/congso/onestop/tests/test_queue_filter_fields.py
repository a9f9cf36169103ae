"""The desk page's filter fields, nothing chosen, are rendered once per language and kept until
the catalogue changes: the same HTML as the form renders, a new procedure shows at once, and a
chosen filter still gets the bound form, open, with its errors."""

import pytest
from django.urls import reverse
from django.utils import translation

from congso.catalog.models import Procedure
from congso.onestop.forms import FILTER_FIELDS, QueueFilterForm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memory_cache")]


@pytest.fixture
def desk(demo, client):
    client.force_login(demo["people"]["motcua.nghilong"])
    return client


def _page(client, **query) -> str:
    response = client.get(reverse("onestop:queues"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_kept_fields_are_the_forms(desk):
    from django.template.loader import render_to_string

    kept = QueueFilterForm.blank_fields()
    assert kept == render_to_string(FILTER_FIELDS, {"form": QueueFilterForm()})
    assert 'name="procedure"' in kept and "Tất cả thủ tục" in kept
    assert kept in _page(desk, tab="to_hand_over")


def test_a_new_procedure_is_offered_at_once(desk, demo):
    _page(desk)
    sector = Procedure.objects.get(code="1.001193").sector
    Procedure.objects.create(code="9.999001", name="Thủ tục mới để thử bộ lọc", sector=sector)
    assert "Thủ tục mới để thử bộ lọc" in _page(desk)


def test_each_language_has_its_own_fields(desk):
    vietnamese = QueueFilterForm.blank_fields()
    with translation.override("en"):
        english = QueueFilterForm.blank_fields()
    assert "Tất cả trạng thái" in vietnamese and "Tất cả trạng thái" not in english


def test_a_chosen_filter_gets_the_bound_form_open_with_its_errors(desk):
    closed = _page(desk, tab="to_hand_over")
    assert '<details class="filters">' in closed
    bad = _page(desk, tab="to_hand_over", received_from="31/02/2026")
    assert '<details class="filters" open>' in bad
    assert "Nhập ngày theo dạng dd/mm/yyyy." in bad and 'value="31/02/2026"' in bad
