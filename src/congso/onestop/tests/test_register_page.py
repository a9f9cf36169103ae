"""The register (form 07) on screen, one page at a time (issue 15 item 8: a district-year is
100,000 rows; the PDF and Excel keep every row): numbering continues across pages, the notes
carry each dossier's class from ``timeliness``, and a page costs the same few queries however
long the register."""

import datetime as dt

import pytest
from django.urls import reverse

from congso.dashboard.tests.conftest import VN, make
from congso.onestop import print_views


@pytest.fixture
def register(demo, monkeypatch):
    monkeypatch.setattr(print_views, "REGISTER_PAGE", 2)
    long = demo["units"]["Xã Nghi Long"]
    return [
        make(long, received=dt.datetime(2026, 3, 2 + n, 9, tzinfo=VN), due=None) for n in range(5)
    ]


def _page(client, demo, page=None):
    params = {"unit": demo["units"]["Xã Nghi Long"].pk, "start": "01/03/2026", "end": "31/03/2026"}
    return client.get(reverse("onestop:register"), params | ({"page": page} if page else {}))


def test_the_register_is_shown_a_page_at_a_time(client, demo, register):
    client.force_login(demo["people"]["motcua.nghilong"])
    first, last = _page(client, demo).content.decode(), _page(client, demo, 3).content.decode()
    assert register[0].code in first and register[1].code in first
    assert register[2].code not in first and "Trang 1/3" in first
    assert register[4].code in last and "<td>5</td>" in last  # numbered from the first page
    assert "Đang giải quyết trong hạn" in last  # the class at the period's end (timeliness)


def test_a_page_costs_the_same_queries_however_long_the_register(client, demo, register):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(demo["people"]["motcua.nghilong"])
    _page(client, demo)  # warm the per-user caches
    with CaptureQueriesContext(connection) as short:
        _page(client, demo, 2)
    long = demo["units"]["Xã Nghi Long"]
    for n in range(6):
        make(long, received=dt.datetime(2026, 3, 20 + n, 9, tzinfo=VN), due=None)
    with CaptureQueriesContext(connection) as longer:
        _page(client, demo, 2)
    assert len(longer) == len(short) <= 20
