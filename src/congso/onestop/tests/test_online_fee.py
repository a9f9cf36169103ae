"""Filing online: the server computes the fee from the procedure version. The citizen's tick
"exempt" is ignored; copies and pages are the citizen's figures, checked, and a per-page fee
without pages is a Vietnamese field error, never a zero fee."""

import pytest
from rest_framework.test import APIClient

from congso.catalog.models import Procedure
from congso.onestop.models import Dossier

LIST = "/api/v1/dossiers/"
NO_DOCUMENTS = "1.001612"  # district level, 50.000 đ fixed, no mandatory document


@pytest.fixture
def api(demo):
    client = APIClient()
    client.force_authenticate(demo["people"]["congdan.an"])
    return client


def _body(demo, **overrides) -> dict:
    body = {"channel": "online", "procedure": NO_DOCUMENTS, "unit": demo["units"]["district"].pk}
    body.update(overrides)
    return body


def _per_page(code: str = NO_DOCUMENTS) -> None:
    terms = Procedure.objects.get(code=code).current_version().channel("online")
    terms.fee = {"kind": "per_page", "tiers": [{"from_page": 1, "amount": 2000}]}
    terms.save()


def test_forged_exemption_is_charged(demo, api):
    forged = {"name": "Nguyễn Thị Mai", "id_number": "040190001234"}
    response = api.post(LIST, _body(demo, fee_exempt=True, applicant=forged), format="json")
    assert response.status_code == 201, response.json()
    assert Dossier.objects.get(code=response.json()["code"]).fee_amount == 50000


def test_zero_copies_is_refused_in_vietnamese(demo, api):
    response = api.post(LIST, _body(demo, copies=0), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["copies"]
    assert not Dossier.objects.exists()


def test_per_page_fee_without_pages_is_refused_not_free(demo, api):
    _per_page()
    response = api.post(LIST, _body(demo, fee_exempt=True), format="json")
    assert response.status_code == 400, response.json()
    assert "số trang" in response.json()["error"]["fields"]["pages"][0]
    assert not Dossier.objects.exists()


def test_per_page_fee_is_computed_from_the_stated_pages(demo, api):
    _per_page()
    response = api.post(LIST, _body(demo, pages=3, copies=2, fee_exempt=True), format="json")
    assert response.status_code == 201, response.json()
    assert Dossier.objects.get(code=response.json()["code"]).fee_amount == 2 * 3 * 2000


def test_absurd_pages_are_refused(demo, api):
    _per_page()
    response = api.post(LIST, _body(demo, pages=50000), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["pages"]
    assert not Dossier.objects.exists()
