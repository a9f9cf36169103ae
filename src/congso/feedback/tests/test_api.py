"""The feedback API: citizens create and follow, officials list and answer; bad input gets the
one error format with Vietnamese messages and saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.core.tests import support
from congso.feedback.models import Complaint, Rating

PNG = support.png()


@pytest.fixture
def api(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_citizen_rates_through_the_api(api, citizen, make_dossier):
    dossier = make_dossier(citizen)
    client = api(citizen)
    response = client.post(
        "/api/v1/feedback/ratings/",
        {"dossier_code": dossier.code, "overall": "very_satisfied", "scores": {"ease": 2}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["scores"] == {"ease": 2}
    again = client.post(
        "/api/v1/feedback/ratings/",
        {"dossier_code": dossier.code, "overall": "satisfied"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "đã được đánh giá" in again.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"overall": "satisfied"}, "dossier_code"),
        ({"dossier_code": "X", "overall": "wow"}, "overall"),
        ({"dossier_code": "X", "overall": "satisfied", "scores": {"ease": 5}}, "scores.ease"),
    ],
)
def test_bad_rating_input(api, citizen, body, field):
    response = api(citizen).post("/api/v1/feedback/ratings/", body, content_type="application/json")
    error = response.json()["error"]
    assert response.status_code == 400 and field in error["fields"]
    assert error["message"].startswith("Dữ liệu không hợp lệ")
    assert not Rating.objects.exists()


def test_complaint_round_trip(api, citizen, tree, officials):
    client = api(citizen)
    created = client.post(
        "/api/v1/feedback/complaints/",
        {
            "kind": "feedback",
            "subject": "Chậm",
            "content": "Nội dung",
            "unit": tree["commune_a"].pk,
            "files": [SimpleUploadedFile("a.png", PNG)],
        },
    )
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    assert created.json()["allowed_actions"] == ["withdraw"]
    assert created.json()["attachments"][0]["content_type"] == "image/png"
    official = api(officials["specialist_a"])
    listed = official.get("/api/v1/feedback/complaints/?state=received").json()
    assert [c["code"] for c in listed["results"]] == [code]
    answered = official.post(
        f"/api/v1/feedback/complaints/{code}/actions/",
        {"action": "answer", "text": "Đã xử lý."},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    assert answered.json()["on_time"] is True
    client = api(citizen)
    evaluated = client.post(
        f"/api/v1/feedback/complaints/{code}/actions/",
        {"action": "evaluate", "satisfied": True},
        content_type="application/json",
    )
    assert evaluated.json()["state"] == "closed" and evaluated.json()["citizen_satisfied"] is True


def test_bad_complaint_input_saves_nothing(api, citizen, tree):
    response = api(citizen).post(
        "/api/v1/feedback/complaints/",
        {
            "kind": "feedback",
            "subject": "A",
            "content": "B",
            "unit": tree["commune_a"].pk,
            "files": [SimpleUploadedFile("a.pdf", b"not a pdf at all")],
        },
    )
    assert (
        response.status_code == 400
        and "không đúng định dạng" in response.json()["error"]["message"]
    )
    missing = api(citizen).post(
        "/api/v1/feedback/complaints/",
        {"kind": "feedback", "subject": "A", "content": "B"},
        content_type="application/json",
    )
    assert missing.status_code == 400 and "unit" in missing.json()["error"]["fields"]
    assert not Complaint.objects.exists()


def test_citizen_cannot_answer_own_complaint(api, citizen, tree):
    client = api(citizen)
    code = client.post(
        "/api/v1/feedback/complaints/",
        {"kind": "feedback", "subject": "A", "content": "B", "unit": tree["commune_a"].pk},
        content_type="application/json",
    ).json()["code"]
    refused = client.post(
        f"/api/v1/feedback/complaints/{code}/actions/",
        {"action": "answer", "text": "Tự trả lời"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert Complaint.objects.get(code=code).state == "received"


def test_anonymous_visitor_is_refused(client):
    assert client.get("/api/v1/feedback/complaints/").status_code in (401, 403)


def test_schema_lists_the_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/feedback/complaints/{code}/actions/" in schema["paths"]
    assert "/api/v1/feedback/ratings/" in schema["paths"]
