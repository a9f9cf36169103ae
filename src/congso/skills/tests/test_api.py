"""The API: programmes and sessions per unit, the one error format, in the schema."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_and_list_sessions_per_unit(people, programme, tree, record):
    record("commune_b", "email", 5)
    answer = _client(people["commune_a"]).post(
        "/api/v1/skills/sessions/",
        {
            "programme": programme.pk,
            "unit": tree["commune_a"].pk,
            "topic": "payment",
            "date": programme.start.isoformat(),
            "place": "Nhà văn hoá",
            "trainer": "VNPT",
            "attendance": 25,
            "attendees": [{"name": "Lê Văn E", "birth_year": 1970}],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["attendees"] == [{"name": "Lê Văn E", "birth_year": 1970}]
    mine = _client(people["commune_a"]).get("/api/v1/skills/sessions/").json()
    assert [s["unit"] for s in mine["results"]] == [tree["commune_a"].pk]
    district = _client(people["leader"]).get(
        "/api/v1/skills/sessions/", {"unit": tree["commune_b"].pk}
    )
    assert [s["topic"] for s in district.json()["results"]] == ["email"]


def test_errors_use_the_one_format(people, programme, tree):
    answer = _client(people["commune_a"]).post(
        "/api/v1/skills/sessions/",
        {
            "programme": programme.pk,
            "unit": tree["commune_a"].pk,
            "topic": "internet",
            "date": "2001-01-01",
            "place": "X",
            "trainer": "Y",
            "attendance": 3,
        },
        format="json",
    )
    assert answer.status_code == 400
    assert "date" in answer.json()["error"]["fields"]
    refused = _client(people["commune_b"]).post(
        "/api/v1/skills/teams/", {"unit": tree["commune_a"].pk, "name": "Tổ"}, format="json"
    )
    assert refused.status_code == 403 and refused.json()["error"]["message"]


def test_programmes_and_teams(people, tree):
    client = _client(people["commune_a"])
    created = client.post(
        "/api/v1/skills/programmes/",
        {
            "unit": tree["commune_a"].pk,
            "name": "Chương trình xã A",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "target": 100,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    team = client.post("/api/v1/skills/teams/", {"unit": tree["commune_a"].pk, "name": "Tổ A"})
    assert team.status_code == 201
    assert client.get("/api/v1/skills/teams/").json()["results"][0]["members"] == []
    assert APIClient().get("/api/v1/skills/teams/").status_code in (401, 403)


def test_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/skills/sessions/", "/api/v1/skills/programmes/", "/api/v1/skills/teams/"):
        assert path in schema
