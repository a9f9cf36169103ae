"""The citizen API: draft → documents → submit → my dossiers → withdraw; another citizen sees
nothing (404); errors come in the API's one format, in Vietnamese."""

import pytest
from rest_framework.test import APIClient

from congso.onestop.models import Dossier

from .conftest import BIRTH_ANSWERS, required_ids, upload

BASE = "/api/v1/portal"


@pytest.fixture
def api(citizen):
    client = APIClient()
    client.force_authenticate(citizen)
    return client


def test_file_online_through_the_api(api, birth, commune, citizen):
    draft = api.post(f"{BASE}/drafts/", {"procedure": birth.code}, format="json").json()
    url = f"{BASE}/drafts/{draft['id']}/"
    bad = api.patch(url, {"answers": {"relationship": "Cha"}}, format="json")
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["code"] == "invalid" and "answers.declarant" in error["fields"]
    response = api.patch(
        url,
        {"unit": commune.pk, "answers": BIRTH_ANSWERS, "result_delivery": "online"},
        format="json",
    )
    assert response.status_code == 200 and set(response.json()["problems"]) == {"documents"}
    for pk in required_ids(birth):
        response = api.post(f"{url}documents/", {"required_document": pk, "file": upload()})
        assert response.status_code == 200, response.json()
    filed = api.post(f"{url}submit/")
    assert filed.status_code == 201 and filed.json()["national_status"] == 1
    code = filed.json()["code"]
    assert [d["code"] for d in api.get(f"{BASE}/my-dossiers/").json()] == [code]
    blank = api.post(f"{BASE}/my-dossiers/{code}/withdraw/", {"note": ""}, format="json")
    assert blank.status_code == 400 and blank.json()["error"]["fields"]["note"]
    done = api.post(f"{BASE}/my-dossiers/{code}/withdraw/", {"note": "Nộp nhầm"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "withdrawn"


def test_other_citizen_gets_404(api, other_citizen, ready_draft):
    dossier = __import__("congso.portal.services", fromlist=["submit"]).submit(ready_draft)
    other = APIClient()
    other.force_authenticate(other_citizen)
    for method, url in [
        ("get", f"{BASE}/my-dossiers/{dossier.code}/"),
        ("post", f"{BASE}/my-dossiers/{dossier.code}/withdraw/"),
        ("post", f"{BASE}/my-dossiers/{dossier.code}/supplement/"),
    ]:
        assert getattr(other, method)(url, {"note": "x"}).status_code == 404
    assert other.get(f"{BASE}/my-dossiers/").json() == []
    assert Dossier.objects.get().state == "new"


def test_anonymous_is_refused(client):
    assert client.get(f"{BASE}/drafts/").status_code in (401, 403)
