"""The partner-facing endpoints that exist today accept a partner token with the right scope,
acting only where the client's unit may act, and still serve officials as before: the edXML
import of the document exchange and the national-portal sync of a dossier."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from congso.accounts.models import Role, User
from congso.catalog.models import Procedure
from congso.demo.loaders import load_all
from congso.documents.tests.test_exchange import _package
from congso.onestop import services as onestop
from congso.onestop.tests.conftest import uploaded_documents

pytestmark = pytest.mark.django_db


def _bearer(client, secret) -> APIClient:
    pair = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    answer = APIClient().post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {pair}",
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {answer.json()['access_token']}")
    return api


def _import(api, tree, unit):
    upload = SimpleUploadedFile("goi.edxml", _package(tree), content_type="application/xml")
    return api.post(reverse("api-documents-import"), {"unit": unit.pk, "file": upload})


def test_the_exchange_imports_a_package_for_its_unit_only(partner, tree):
    api = _bearer(*partner("documents.exchange", unit=tree["commune_a"]))
    done = _import(api, tree, tree["commune_a"])
    assert done.status_code == 201, done.json()
    assert done.json()["subject"] == "V/v triển khai nền tảng số"
    elsewhere = _import(api, tree, tree["commune_b"])
    assert elsewhere.status_code == 403
    assert set(elsewhere.json()["error"]) == {"code", "message", "fields"}


def test_the_exchange_scope_is_needed_for_the_import(partner, tree):
    api = _bearer(*partner("dossiers.sync", unit=tree["commune_a"]))
    refused = _import(api, tree, tree["commune_a"])
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "insufficient_scope"


def test_a_clerk_still_imports_with_an_official_token(tree, official_at):
    clerk = official_at(tree["commune_a"], Role.CLERK)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=clerk).key}")
    assert _import(api, tree, tree["commune_a"]).status_code == 201


@pytest.fixture
def demo_dossier(db):
    """A dossier filed at Xã Nghi Long of the demo district, and the demo's units."""
    units = load_all()["units"]
    procedure = Procedure.objects.get(code="1.001193")
    documents = uploaded_documents(procedure.current_version())
    intake = onestop.Intake(
        procedure_code=procedure.code,
        unit_id=units["Xã Nghi Long"].pk,
        documents=documents,
    )
    citizen = User.objects.filter(kind="citizen").first()
    return onestop.file_online(citizen, intake), units


def test_the_national_portal_syncs_dossiers_of_its_unit(partner, demo_dossier):
    dossier, units = demo_dossier
    api = _bearer(*partner("dossiers.sync", unit=units["Xã Nghi Long"]))
    answer = api.get(reverse("api-dossier-sync", args=[dossier.code]))
    assert answer.status_code == 200 and answer.json()["MaHoSo"] == dossier.code
    other = _bearer(*partner("dossiers.sync", unit=units["Xã Nghi Thạch"]))
    assert other.get(reverse("api-dossier-sync", args=[dossier.code])).status_code == 404
    detail = api.get(reverse("api-dossier", args=[dossier.code]))
    assert detail.status_code == 403  # dossiers.read was not granted


def test_officials_still_sync_with_their_token(demo_dossier):
    dossier, units = demo_dossier
    desk = User.objects.filter(
        positions__unit=units["Xã Nghi Long"], positions__role=Role.DESK_OFFICER
    ).first()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=desk).key}")
    answer = api.get(reverse("api-dossier-sync", args=[dossier.code]))
    assert answer.status_code == 200 and answer.json()["MaHoSo"] == dossier.code
