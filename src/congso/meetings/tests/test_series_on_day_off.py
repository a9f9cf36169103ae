"""A weekly series whose every occurrence falls on a day off (it starts on a Sunday) is a
contradictory request: it is refused with a Vietnamese message and creates nothing, never a 201
with an empty list."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from congso.meetings.models import Meeting

from .conftest import next_monday

pytestmark = pytest.mark.django_db


def _payload(tree, people, start, weeks):
    return {
        "host_unit": tree["district"].pk,
        "title": "Giao ban chủ nhật",
        "chair": people["chair"].pk,
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1)).isoformat(),
        "units": [tree["commune_a"].pk],
        "weeks": weeks,
        "publish": True,
    }


def _post(user, payload):
    client = APIClient()
    client.force_authenticate(user)
    return client.post("/api/v1/meetings/", payload, format="json")


def test_weekly_series_on_sundays_is_refused_and_creates_nothing(tree, people):
    sunday = next_monday() - dt.timedelta(days=1)
    answer = _post(people["clerk"], _payload(tree, people, sunday, weeks=4))
    assert answer.status_code == 400, answer.content
    error = answer.json()["error"]
    assert "ngày nghỉ" in error["fields"]["start"][0]
    assert not Meeting.objects.exists()


def test_weekly_series_on_mondays_creates_every_week(tree, people):
    answer = _post(people["clerk"], _payload(tree, people, next_monday(), weeks=4))
    assert answer.status_code == 201
    created = answer.json()
    assert created and len(created) == Meeting.objects.count()
