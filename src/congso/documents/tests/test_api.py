"""The documents API: create, list (scoped, filtered, paginated), detail with the caller's
allowed transitions, transitions with a stale revision (409), file download, registers,
metadata and the one error format."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from congso.demo.documents import signed_on_demo_phone
from congso.documents.models import Document
from congso.signing.tests import support

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_outgoing_journey_through_the_api(people, tree, keys):
    specialist = client_for(people["specialist"])
    upload = io.BytesIO(support.simple_pdf("Quyet dinh"))
    upload.name = "du-thao.pdf"
    created = specialist.post(
        "/api/v1/documents/",
        {
            "direction": "outgoing",
            "unit": tree["district"].pk,
            "doc_type": "QĐ",
            "subject": "Về việc thành lập tổ công nghệ số",
            "drafting_unit": tree["department"].pk,
            "recipient_units": [tree["commune_a"].pk],
            "file": upload,
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["allowed_transitions"] == ["submit", "cancel"]
    url = f"/api/v1/documents/{body['id']}/transitions/"
    assert specialist.post(url, {"transition": "submit", "revision": 0}).status_code == 200
    leader = client_for(people["leader"])
    stale = leader.post(url, {"transition": "approve", "revision": 0})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    detail = leader.get(f"/api/v1/documents/{body['id']}/").json()
    assert detail["allowed_transitions"] == ["approve", "return"]
    assert client_for(people["leader"]).post(url, {"transition": "approve"}).status_code == 200
    # the leader's own signer (here the demo CA's remote service) signs; never the server
    refused = client_for(people["leader"]).post(url, {"transition": "sign"})
    assert refused.status_code == 400, refused.json()
    signed_on_demo_phone(Document.objects.get(pk=body["id"]), people["leader"])
    response = client_for(people["clerk"]).post(url, {"transition": "issue"})
    assert response.status_code == 200, response.json()
    issued = response.json()
    assert issued["notation"] == "01/QĐ-UBND" and issued["state"] == "issued"
    latest = issued["versions"][-1]["number"]
    download = leader.get(f"/api/v1/documents/{body['id']}/files/{latest}/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download["X-Content-SHA256"] == issued["versions"][-1]["sha256"]


def test_refused_transition_in_the_error_format(draft, people):
    document = draft()
    response = client_for(people["clerk"]).post(
        f"/api/v1/documents/{document.pk}/transitions/", {"transition": "issue"}
    )
    assert response.status_code == 400
    assert "Không thể “Cấp số và phát hành”" in response.json()["error"]["message"]


def test_secret_incoming_is_refused(people, tree):
    upload = io.BytesIO(support.simple_pdf())
    upload.name = "mat.pdf"
    response = client_for(people["clerk_a"]).post(
        "/api/v1/documents/",
        {
            "direction": "incoming",
            "unit": tree["commune_a"].pk,
            "doc_type": "CV",
            "subject": "Tài liệu mật",
            "author": "Công an tỉnh",
            "secrecy": "mat",
            "file": upload,
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "bản giấy" in response.json()["error"]["fields"]["secrecy"][0]
    assert not Document.objects.exists()


def test_lists_are_scoped_and_filtered(issued, people, tree):
    issued()
    commune_a = client_for(people["clerk_a"]).get("/api/v1/documents/?q=kien+toan").json()
    assert commune_a["count"] == 1 and commune_a["results"][0]["direction"] == "incoming"
    assert client_for(people["clerk_b"]).get("/api/v1/documents/").json()["count"] == 0
    other = Document.objects.get(unit=tree["commune_a"])
    assert client_for(people["clerk_b"]).get(f"/api/v1/documents/{other.pk}/").status_code == 404


def test_registers_and_metadata(issued, people, tree, django_capture_on_commit_callbacks):
    document = issued()
    client = client_for(people["clerk_a"])
    register = client.get(f"/api/v1/documents/registers/incoming/?unit={tree['commune_a'].pk}")
    assert register.status_code == 200
    assert register.json()["rows"][0][3] == "01/QĐ-UBND"
    with django_capture_on_commit_callbacks(execute=True):  # the worker builds it (eager)
        queued = client.get("/api/v1/documents/registers/incoming/?output=xlsx")
    assert queued.status_code == 202 and queued["Location"] == queued.json()["url"]
    export = client.get(queued["Location"]).json()
    assert export["state"] == "ready" and export["done"] == 1, export
    excel = client.get(export["file"])
    assert excel.status_code == 200 and "attachment" in excel["Content-Disposition"]
    assert client_for(people["clerk_b"]).get(queued["Location"]).status_code == 404
    assert load_workbook(io.BytesIO(excel.getvalue())).active.cell(3, 4).value == "01/QĐ-UBND"
    forbidden = client.get(f"/api/v1/documents/registers/outgoing/?unit={tree['district'].pk}")
    assert forbidden.status_code == 404  # a commune never sees the district's registers
    copy = Document.objects.get(source=document)
    xml = client.get(f"/api/v1/documents/{copy.pk}/metadata/?output=xml")
    assert b"<ArrivalNumber>1</ArrivalNumber>" in xml.content
