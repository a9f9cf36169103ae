"""The overview's board is drawn once for each set of inputs and kept (``views._board_html``):
a second leader opening the same overview gets the same HTML without drawing it; a dossier
opened now, a refresh of the facts, a renamed unit or another language draws it anew; a
parameter the selector does not know adds no entry."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from congso.accounts.models import Role
from congso.accounts.tests.factories import OfficialFactory, PositionFactory
from congso.dashboard import facts_cache, index766, views
from congso.org.models import Unit

from .conftest import make

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_cache")]

BOARD = "dashboard/_board.html"


def _leader(client, unit):
    user = OfficialFactory()
    PositionFactory(user=user, unit=unit, role=Role.LEADER)
    client.force_login(user)


def _view(client, params=None):
    """(whether the board was drawn, the page's HTML)."""
    response = client.get(reverse("dashboard:overview"), params or {})
    assert response.status_code == 200
    return BOARD in [t.name for t in response.templates], response.content.decode()


def _board(html: str) -> str:
    """The page after the selector: the board."""
    return html.split("<h1>", 1)[1].split("</form>", 1)[1]


def _open_overdue(html: str) -> str:
    return html.split('data-key="open_overdue"', 1)[1].split("</tr>", 1)[0]


def test_a_second_leader_gets_the_board_drawn_for_the_first(client, district):
    _leader(client, district)
    drawn, first = _view(client)
    assert drawn and 'data-testid="index-score"' in first
    _leader(client, district)
    drawn, second = _view(client)
    assert not drawn
    assert second.count('data-testid="index-score"') == 1
    assert _board(first) == _board(second)


def test_a_dossier_opened_now_draws_it_anew_with_its_figure(client, district, long):
    _leader(client, district)
    _drawn, before = _view(client)
    now = timezone.now()
    make(long, received=now - timezone.timedelta(days=40), due=now - timezone.timedelta(days=1))
    drawn, after = _view(client)
    assert drawn
    assert _open_overdue(before) != _open_overdue(after)
    assert ">1<" in _open_overdue(after)


def test_a_refresh_of_the_facts_a_renamed_unit_and_a_language_draw_it_anew(client, district, long):
    _leader(client, district)
    _view(client)
    facts_cache.invalidate()  # what a refresh of the facts does: the sums read again, same sums
    assert not _view(client)[0]  # the same numbers: the same board
    Unit.objects.filter(pk=long.pk).update(name="UBND xã Nghi Long Mới")
    drawn, html = _view(client)
    assert drawn and "UBND xã Nghi Long Mới" in html
    client.cookies["django_language"] = "en"
    drawn, english = _view(client)
    assert drawn and _board(english) != _board(html)
    assert 'lang="en"' in english.split(">", 2)[1]


def test_a_parameter_the_selector_does_not_know_adds_no_entry(client, district):
    _leader(client, district)
    params = {"unit": district.pk, "kind": "month"}
    assert _view(client, params)[0]
    drawn, html = _view(client, {**params, "x": "1", "utm": "<b>"})
    assert not drawn
    assert "utm" not in _board(html)


def test_other_index_bands_draw_it_anew(client, district, settings, tmp_path):
    _leader(client, district)
    _drawn, before = _view(client)
    bands = index766.configuration()
    changed = json.loads(json.dumps(bands))
    first = changed["groups"][0]
    first["label"] = "Nhóm đã sửa"
    path = tmp_path / "bands.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    settings.DASHBOARD_INDEX_766_BANDS = str(path)
    views._drawing.cache_clear()
    try:
        drawn, after = _view(client)
    finally:
        views._drawing.cache_clear()
    assert drawn and "Nhóm đã sửa" in _board(after) and "Nhóm đã sửa" not in _board(before)
