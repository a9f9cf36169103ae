"""The dashboard keeps the sums of the daily facts in the shared cache (``facts_cache``): a view
that finds them reads no fact, a refresh of one day of one commune shows on the next view, an
indicator is evaluated from the kept sums (not kept with them), the key holds no user, and a
cache out of reach only costs the sums again. The board drawn from them is kept apart
(``test_board_kept``)."""

import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congso.accounts.models import Role
from congso.accounts.tests.factories import OfficialFactory, PositionFactory
from congso.dashboard import facts_cache, indicators, store
from congso.dashboard.board import subtree_ids
from congso.dashboard.models import UnitDayFact

from .conftest import DUMMY, at, make

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_cache")]

PARAMS = {"kind": "month", "day": "15/03/2026"}
FACTS_TABLE = UnitDayFact._meta.db_table


@pytest.fixture
def march(long, my):
    make(long, received=at(2026, 3, 2), due=at(2026, 3, 6), finished=at(2026, 3, 5),
         timeliness="early", state="processed", channel="online")  # fmt: skip
    make(my, received=at(2026, 3, 20), due=at(2026, 3, 25))
    store.refresh(dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def _leader(client, unit):
    user = OfficialFactory()
    PositionFactory(user=user, unit=unit, role=Role.LEADER)
    client.force_login(user)
    return user


def _view(client, params=PARAMS):
    """(the board shown, the SQL the view ran)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard:overview"), params)
    assert response.status_code == 200
    return response.context["board"], [q["sql"] for q in captured.captured_queries]


def _value(board, key: str):
    return {v.key: v for v in board.values}[key].value


def _reads_facts(sql: list[str]) -> int:
    return sum(FACTS_TABLE in statement for statement in sql)


def test_a_hit_costs_the_page_without_the_facts_sums(client, district, march):
    _leader(client, district)
    _view(client)  # everything else the page keeps (other sources, header counts) now kept
    facts_cache.invalidate()
    _board, missed = _view(client)
    _board, hit = _view(client)
    assert _reads_facts(missed) == 2  # the units' own sums and the trend's months
    assert _reads_facts(hit) == 0
    assert len(hit) == len(missed) - 2


def test_a_refresh_of_one_day_of_one_commune_shows_on_the_next_view(client, district, long, march):
    _leader(client, district)
    board, _sql = _view(client)
    assert _value(board, "received") == 2
    make(long, received=at(2026, 3, 9), due=at(2026, 3, 20))
    board, _sql = _view(client)
    assert _value(board, "received") == 2  # kept: the facts have not changed yet
    store.refresh(dt.date(2026, 3, 9), dt.date(2026, 3, 9), [long.pk])
    board, sql = _view(client)
    assert _reads_facts(sql) == 2
    assert _value(board, "received") == 3
    assert [r.values["received"].value for r in board.trend if r.label == "03/2026"] == [3]


def test_an_indicator_is_evaluated_on_every_view(client, district, march, monkeypatch):
    _leader(client, district)
    _view(client)
    changed = dataclasses.replace(indicators.BY_KEY["received"], formula=lambda f: 4242)
    monkeypatch.setitem(indicators.BY_KEY, "received", changed)
    chosen = [changed if i.key == "received" else i for i in indicators.INDICATORS]
    monkeypatch.setattr(indicators, "INDICATORS", chosen)
    board, sql = _view(client)
    assert _reads_facts(sql) == 0  # the facts' sums kept, the indicator computed from them
    assert _value(board, "received") == 4242


def test_the_key_holds_the_units_and_dates_only_and_serves_every_leader(
    client, district, march, monkeypatch
):
    asked = []
    kept = facts_cache.kept

    def spy(computes):
        asked.extend(computes)
        return kept(computes)

    monkeypatch.setattr(facts_cache, "kept", spy)
    first = _leader(client, district)
    _view(client)
    second = _leader(client, district)
    _board, sql = _view(client)
    assert _reads_facts(sql) == 0  # another leader of the unit: the same kept sums
    assert len(set(asked)) == 2
    for key in asked:
        assert key.startswith(f"dashboard:facts:{facts_cache.SHAPE}:")
        for user in (first, second):
            assert user.username not in key and f":{user.pk}:" not in key
    ids = subtree_ids(district)
    assert facts_cache.key("units", ids, dt.date(2026, 3, 1), dt.date(2026, 3, 31), False) in asked


def test_a_cache_out_of_reach_computes_the_sums(client, district, march, settings):
    settings.CACHES = {"default": DUMMY, "local": DUMMY}  # every read misses, every write dropped
    _leader(client, district)
    for _ in range(2):
        board, sql = _view(client)
        assert _reads_facts(sql) == 2
        assert _value(board, "received") == 2
