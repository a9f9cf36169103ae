"""Two citizens: neither sees the other's rating or complaint — pages and API answer 404."""

import pytest
from django.urls import reverse

from congso.feedback import services


@pytest.fixture
def mine(citizen, make_dossier, tree):
    dossier = make_dossier(citizen)
    rating = services.rate(dossier, actor=citizen, overall="satisfied")
    complaint = services.file_complaint(
        actor=citizen,
        kind="feedback",
        subject="Riêng tư",
        content="Nội dung",
        unit=tree["commune_a"],
    )
    return dossier, rating, complaint


def test_pages_hide_another_citizens_things(client, other_citizen, mine):
    dossier, rating, complaint = mine
    client.force_login(other_citizen)
    for name, args in [
        ("feedback:rate", [dossier.code]),
        ("feedback:complaint", [complaint.code]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    act = client.post(reverse("feedback:complaint_act", args=[complaint.code, "withdraw"]))
    assert act.status_code == 404
    assert complaint.code not in client.get(reverse("feedback:my_complaints")).text


def test_api_hides_another_citizens_things(client, other_citizen, mine):
    dossier, rating, complaint = mine
    client.force_login(other_citizen)
    assert client.get(f"/api/v1/feedback/ratings/{rating.pk}/").status_code == 404
    assert client.get(f"/api/v1/feedback/complaints/{complaint.code}/").status_code == 404
    assert client.get("/api/v1/feedback/ratings/").json()["count"] == 0
    assert client.get("/api/v1/feedback/complaints/").json()["count"] == 0
    rate = client.post(
        "/api/v1/feedback/ratings/",
        {"dossier_code": dossier.code, "overall": "unsatisfied"},
        content_type="application/json",
    )
    assert rate.status_code == 404
    act = client.post(
        f"/api/v1/feedback/complaints/{complaint.code}/actions/",
        {"action": "withdraw"},
        content_type="application/json",
    )
    assert act.status_code == 404
    complaint.refresh_from_db()
    assert complaint.state == "received"


def test_owner_sees_their_own(client, citizen, mine):
    dossier, rating, complaint = mine
    client.force_login(citizen)
    assert (
        client.get(f"/api/v1/feedback/ratings/{rating.pk}/").json()["dossier_code"] == dossier.code
    )
    assert client.get(reverse("feedback:complaint", args=[complaint.code])).status_code == 200
