"""Per-page and per-copy fees online: the citizen states copies and pages on the delivery page
(or through the API), the server computes the fee from them; without pages a per-page fee is a
Vietnamese error and nothing is filed, never a zero fee (and never a crash)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from congso.onestop.models import Dossier


@pytest.fixture
def per_page(birth):
    terms = birth.current_version().channel("online")
    terms.fee = {"kind": "per_page", "tiers": [{"from_page": 1, "amount": 2000}]}
    terms.save()
    return terms


def test_per_page_fee_without_pages_is_refused(client, citizen, ready_draft, per_page):
    client.force_login(citizen)
    check = reverse("portal:draft_check", args=[ready_draft.public_id])
    assert client.get(check).status_code == 200
    response = client.post(check)
    assert response.status_code == 200
    assert "số trang" in response.content.decode()
    assert not Dossier.objects.exists()


def test_stated_pages_give_the_servers_fee(client, citizen, ready_draft, per_page):
    client.force_login(citizen)
    delivery = reverse("portal:draft_delivery", args=[ready_draft.public_id])
    bad = client.post(delivery, {"result_delivery": "online", "copies": "0", "pages": "3"})
    assert bad.status_code == 200 and "Số bản phải" in bad.content.decode()
    client.post(delivery, {"result_delivery": "online", "copies": "2", "pages": "3"})
    response = client.post(reverse("portal:draft_check", args=[ready_draft.public_id]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Dossier.objects.get().fee_amount == 2 * 3 * 2000


def test_api_refuses_absurd_copies(citizen, ready_draft, per_page):
    api = APIClient()
    api.force_authenticate(citizen)
    url = f"/api/v1/portal/drafts/{ready_draft.public_id}/"
    response = api.patch(url, {"copies": 5000, "pages": 2}, format="json")
    assert response.status_code == 400 and response.json()["error"]["fields"]["copies"]
    assert api.patch(url, {"copies": 1, "pages": 2}, format="json").json()["pages"] == 2
