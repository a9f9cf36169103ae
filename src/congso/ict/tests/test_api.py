"""The ICT API: equipment, training and investment per unit, the one error format, the schema."""

import pytest
from rest_framework.test import APIClient

from congso.ict.models import Equipment

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_equipment_is_created_then_replaced(people, tree):
    client = _client(people["commune_admin"])
    body = {"unit": tree["commune_a"].pk, "computers": 10, "computers_for_officials": 8,
            "dual_stack": "full"}  # fmt: skip
    assert client.post("/api/v1/ict/equipment/", body, format="json").status_code == 201
    answer = client.post("/api/v1/ict/equipment/", body | {"computers": 11}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["ipv6_ready"] is False
    assert Equipment.objects.get().computers == 11


def test_investments_per_unit_and_refusals(people, tree):
    leader = _client(people["leader"])
    for unit in ("commune_a", "commune_b"):
        created = leader.post(
            "/api/v1/ict/investments/",
            {"unit": tree[unit].pk, "year": 2020, "item": "Máy tính", "planned": 5, "spent": 4,
             "source": "district"},
            format="json",
        )  # fmt: skip
        assert created.status_code == 201, created.content
    mine = _client(people["commune_admin"]).get("/api/v1/ict/investments/").json()["results"]
    assert [row["unit"] for row in mine] == [tree["commune_a"].pk]
    narrowed = leader.get("/api/v1/ict/investments/", {"unit": tree["commune_b"].pk}).json()
    assert len(narrowed["results"]) == 1
    refused = _client(people["commune_admin"]).post(
        "/api/v1/ict/trainings/",
        {"unit": tree["commune_b"].pk, "date": "2025-01-01", "course": "A", "hours": "2",
         "participants": 3},
        format="json",
    )  # fmt: skip
    assert refused.status_code == 403
    bad = _client(people["commune_admin"]).post(
        "/api/v1/ict/trainings/",
        {"unit": tree["commune_a"].pk, "date": "2999-01-01", "course": "A", "hours": "2",
         "participants": 3},
        format="json",
    )  # fmt: skip
    assert bad.status_code == 400 and "date" in bad.json()["error"]["fields"]


def test_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/ict/equipment/", "/api/v1/ict/trainings/", "/api/v1/ict/investments/"):
        assert path in schema
