"""``GET /api/v1/dossiers/{code}/forms/NN.pdf``: the printed forms, for whoever may see them."""

import subprocess

import pytest
from rest_framework.test import APIClient

from congso.catalog.models import Procedure
from congso.onestop import services

from .conftest import monday_morning


def _get(user, dossier, form):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/dossiers/{dossier.code}/forms/{form}.pdf")


def _text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


@pytest.fixture
def received(demo, online_intake_for, citizen):
    birth = Procedure.objects.get(code="1.001193")
    filed = services.file_online(
        citizen, online_intake_for(birth, demo["units"]["Xã Nghi Long"]), now=monday_morning()
    )
    return services.transition(filed, "accept", actor=demo["people"]["motcua.nghilong"])


def test_receipt_is_a_pdf_with_the_code(demo, received):
    response = _get(demo["people"]["motcua.nghilong"], received, "01")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"{received.code}-mau-01.pdf" in response["Content-Disposition"]
    assert received.code in _text(response.content)


def test_applicant_gets_their_receipt_but_not_the_internal_sheets(received, citizen):
    assert _get(citizen, received, "01").status_code == 200
    refused = _get(citizen, received, "06")
    assert refused.status_code == 403
    assert "cán bộ" in refused.json()["error"]["message"]


def test_form_that_does_not_apply_or_does_not_exist_is_404(demo, received):
    desk = demo["people"]["motcua.nghilong"]
    not_yet = _get(desk, received, "04")  # no apology was issued
    assert not_yet.status_code == 404 and not_yet.json()["error"]["message"]
    assert _get(desk, received, "99").status_code == 404


def test_form_of_a_dossier_the_caller_cannot_see_is_404(demo, received, official_at):
    from congso.accounts.models import Role

    stranger = official_at(demo["units"]["Xã Nghi Mỹ"], Role.DESK_OFFICER)
    assert _get(stranger, received, "01").status_code == 404
