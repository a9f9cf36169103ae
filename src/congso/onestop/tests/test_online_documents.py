"""Filing online: a required document counts only with its file. Ticking it in the API body
(no official sees the paper online) is refused and nothing is created."""

from rest_framework.test import APIClient

from congso.catalog.models import Procedure
from congso.onestop import services
from congso.onestop.models import Dossier

LIST = "/api/v1/dossiers/"


def test_ticked_without_file_is_refused_and_nothing_created(demo):
    birth = Procedure.objects.get(code="1.001193")
    client = APIClient()
    client.force_authenticate(demo["people"]["congdan.an"])
    body = {
        "channel": "online",
        "procedure": birth.code,
        "unit": demo["units"]["Xã Nghi Long"].pk,
        "documents": [
            {"required_document": d.pk, "copy_kind": d.copy_kind, "count": d.count}
            for d in birth.current_version().documents.all()
            if d.mandatory and not d.is_declaration
        ],
    }
    before = Dossier.objects.count()
    response = client.post(LIST, body, format="json")
    assert response.status_code == 400, response.json()
    assert "chưa có tệp" in response.json()["error"]["fields"]["documents"][0]
    assert Dossier.objects.count() == before


def test_service_refuses_a_document_without_file(demo, intake_for):
    """The same rule for every caller of ``file_online`` (portal, API, imports)."""
    birth = Procedure.objects.get(code="1.001193")
    intake = intake_for(birth, demo["units"]["Xã Nghi Long"])
    before = Dossier.objects.count()
    try:
        services.file_online(demo["people"]["congdan.an"], intake)
    except services.ValidationError as exc:
        assert "documents" in exc.message_dict
    else:
        raise AssertionError("a ticked document without file was accepted online")
    assert Dossier.objects.count() == before
