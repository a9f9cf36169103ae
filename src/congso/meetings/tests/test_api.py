"""The API: meetings, attendance and tasks, scoped by unit, in the OpenAPI schema."""

import datetime as dt

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from congso.core.tests import support
from congso.meetings import services

from .conftest import next_monday

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_with_all_communes_and_publish(tree, people):
    start = next_monday(weeks_ahead=2)
    answer = _client(people["clerk"]).post(
        "/api/v1/meetings/",
        {
            "host_unit": tree["district"].pk,
            "title": "Giao ban qua API",
            "chair": people["chair"].pk,
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=1)).isoformat(),
            "all_communes": True,
            "agenda": [{"title": "Báo cáo", "presenter": "VP"}],
            "publish": True,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    (created,) = answer.json()
    assert created["state"] == "scheduled"
    detail = _client(people["commune_a"]).get(f"/api/v1/meetings/{created['id']}/").json()
    assert {i["unit"] for i in detail["invitations"]} == {
        tree["commune_a"].pk,
        tree["commune_b"].pk,
    }
    assert detail["allowed_actions"] == []


def test_errors_in_vietnamese(tree, people):
    start = next_monday()
    answer = _client(people["clerk"]).post(
        "/api/v1/meetings/",
        {
            "host_unit": tree["district"].pk,
            "title": "Sai giờ",
            "chair": people["chair"].pk,
            "start": start.isoformat(),
            "end": (start - dt.timedelta(hours=1)).isoformat(),
            "units": [tree["commune_a"].pk],
        },
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["end"] == ["Giờ kết thúc phải sau giờ bắt đầu."]
    denied = _client(people["commune_a"]).post(
        "/api/v1/meetings/",
        {
            "host_unit": tree["district"].pk,
            "title": "x",
            "chair": people["chair"].pk,
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=1)).isoformat(),
            "units": [tree["commune_a"].pk],
        },
        format="json",
    )
    assert denied.status_code == 403


def test_scoping_and_attendance(scheduled, make_meeting, tree, people):
    hidden = make_meeting(units=[tree["commune_b"]], start=scheduled.end)
    ids = [m["id"] for m in _client(people["commune_a"]).get("/api/v1/meetings/").json()["results"]]
    assert ids == [scheduled.pk]
    assert _client(people["commune_a"]).get(f"/api/v1/meetings/{hidden.pk}/").status_code == 404
    clerk = _client(people["clerk"])
    assert (
        clerk.post(f"/api/v1/meetings/{scheduled.pk}/transitions/", {"action": "start"}).status_code
        == 200
    )
    # check-in happens now; the meeting is next week, so it is not yet open
    answer = _client(people["commune_a"]).post(
        f"/api/v1/meetings/{scheduled.pk}/attendance/", {"unit": tree["commune_a"].pk}
    )
    assert answer.status_code == 400
    assert "Chưa đến giờ điểm danh" in answer.json()["error"]["message"] + str(answer.json())


def test_task_transitions(scheduled, tree, people):
    clerk = people["clerk"]
    services.transition(scheduled, actor=clerk, action="start")
    services.transition(scheduled, actor=clerk, action="end")
    conclusion, _ = services.add_conclusion(
        scheduled, actor=clerk, text="Rà soát", units=[tree["commune_a"]], working_days=3
    )
    task = conclusion.tasks.get()
    commune = _client(people["commune_a"])
    assert [t["id"] for t in commune.get("/api/v1/meeting-tasks/").json()["results"]] == [task.pk]
    assert _client(people["commune_b"]).get(f"/api/v1/meeting-tasks/{task.pk}/").status_code == 404
    png = SimpleUploadedFile("anh.png", support.png(), content_type="image/png")
    answer = commune.post(
        f"/api/v1/meeting-tasks/{task.pk}/transitions/",
        {"action": "complete", "text": "Đã xong", "evidence": png},
        format="multipart",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "done" and answer.json()["on_time"] is True


def test_schema_lists_the_endpoints(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    for route in (
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/transitions/",
        "/api/v1/meetings/{id}/attendance/",
        "/api/v1/meeting-tasks/",
        "/api/v1/meeting-tasks/{id}/transitions/",
    ):
        assert route in schema["paths"], route
