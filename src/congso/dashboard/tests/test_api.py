"""The indicators API: the same numbers as the page, scoped to the caller's units, clear
errors for bad input."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from congso.accounts.models import Role
from congso.accounts.tests.factories import OfficialFactory, PositionFactory
from congso.dashboard import store

from .conftest import at, make

URL = "/api/v1/dashboard/indicators/"


@pytest.fixture
def api(long):
    user = OfficialFactory()
    PositionFactory(user=user, unit=long, role=Role.LEADER)
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_indicators_of_the_callers_unit(api, long):
    make(
        long,
        received=at(2026, 3, 2),
        due=at(2026, 3, 6),
        finished=at(2026, 3, 5),
        timeliness="early",
        state="processed",
        channel="online",
    )
    store.refresh(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    response = api.get(URL, {"kind": "month", "day": "10/03/2026"})
    assert response.status_code == 200
    body = response.json()
    values = {i["key"]: i for i in body["indicators"]}
    assert body["unit"] == long.pk and body["start"] == "2026-03-01"
    assert values["on_time_rate"]["value"] == "100.00"
    assert values["online_filing_rate"]["status"] == "green"
    assert body["index"]["points"] == 100


def test_other_units_and_bad_dates(api, district):
    assert api.get(URL, {"unit": district.pk}).status_code == 404
    response = api.get(URL, {"kind": "custom", "start": "01/02/2026", "end": "31/01/2026"})
    assert response.status_code == 400


def test_anonymous_is_refused(db):
    assert APIClient().get(URL).status_code in (401, 403)
