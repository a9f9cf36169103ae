"""Filing online through the API: the applicant is the signed-in account, whatever the body
says about who is applying (a forged ID number or name is not stored); filing for someone else
is stated as such, the filer staying the account."""

from rest_framework.test import APIClient

from congso.onestop.models import Dossier

LIST = "/api/v1/dossiers/"
NO_DOCUMENTS = "1.001612"  # district level, fixed fee, no mandatory document to upload


def test_forged_applicant_is_replaced_by_the_account(demo):
    citizen = demo["people"]["congdan.an"]
    client = APIClient()
    client.force_authenticate(citizen)
    body = {
        "channel": "online",
        "procedure": NO_DOCUMENTS,
        "unit": demo["units"]["district"].pk,
        "applicant": {
            "name": "Người Khác Hẳn",
            "id_number": "040190009999",
            "phone": "0912999999",
            "email": "gia.mao@example.vn",
            "address": "Một nơi khác",
        },
    }
    response = client.post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.applicant == citizen
    assert dossier.applicant_name == citizen.get_full_name()
    assert dossier.applicant_id_number == (citizen.id_number or "")
    assert dossier.applicant_email == (citizen.email or "")
    assert dossier.applicant_address == (citizen.address or "")
    assert "Người Khác" not in dossier.search_text and "040190009999" not in dossier.search_text


def test_filing_for_someone_else_is_stated_and_the_filer_stays_the_account(demo):
    citizen = demo["people"]["congdan.an"]
    client = APIClient()
    client.force_authenticate(citizen)
    body = {
        "channel": "online",
        "procedure": NO_DOCUMENTS,
        "unit": demo["units"]["district"].pk,
        "on_behalf_of": "Nguyễn Văn Bé (con)",
    }
    response = client.post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.applicant == citizen and dossier.applicant_name == citizen.get_full_name()
    filed = dossier.events.get(transition="file")
    assert filed.data == {"on_behalf_of": "Nguyễn Văn Bé (con)"} and filed.actor == citizen
