"""An edXML package may only be imported by someone allowed to register documents at the organ it
is imported into; a refused package writes and flags nothing, and its attachments are checked by
content like every stored file (an HTML "attachment" never becomes a version)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from congso.core.tests import support
from congso.documents import edxml, services
from congso.documents.models import Document, Version
from congso.signing.tests.support import simple_pdf

pytestmark = pytest.mark.django_db

SENDER = edxml.Organ("000.00.15.H40", "Sở Thông tin và Truyền thông tỉnh Nghệ An")
DOCUMENT_ID = f"{SENDER.agency_id},2026/11/20,45/UBND-VX"
HTML = b"<html><script>fetch('/api/documents/').then(r => r.text()).then(alert)</script></html>"


def _package(tree, *, business_type=0, replaces="", attachment=None) -> bytes:
    envelope = edxml.Envelope(
        document_id=DOCUMENT_ID if not replaces else f"{DOCUMENT_ID}-moi",
        sender=SENDER,
        recipients=[edxml.Organ(tree["commune_a"].agency_id, tree["commune_a"].name)],
        number="45",
        notation="UBND-VX",
        place="Nghệ An",
        issued_on=dt.date(2026, 11, 20),
        document_type="Công văn",
        subject="V/v triển khai nền tảng số",
        signer_name="Trần Văn Sở",
        signer_position="Giám đốc",
        business_type=business_type,
        replaces=replaces,
    )
    attachment = attachment or edxml.Attachment("cv-45.pdf", "application/pdf", simple_pdf())
    return edxml.build_package(envelope, [attachment])


def _post(user, unit, package: bytes):
    client = APIClient()
    client.force_authenticate(user)
    upload = SimpleUploadedFile("goi.edxml", package, "application/xml")
    return client.post("/api/v1/documents/import/", {"unit": unit.pk, "file": upload})


@pytest.fixture
def received(tree, people):
    """Commune A's incoming document, registered from a package by its own clerk."""
    return services.import_package(tree["commune_a"], _package(tree), actor=people["clerk_a"])


def _untouched(document):
    document.refresh_from_db()
    return document.versions.count() == 1 and not document.recall_requested


def test_another_units_clerk_cannot_add_a_version(received, tree, people):
    html = edxml.Attachment("phu-luc.pdf", "application/pdf", HTML)
    response = _post(
        people["clerk_b"], tree["commune_a"], _package(tree, business_type=2, attachment=html)
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert _untouched(received)


def test_another_units_clerk_cannot_flag_a_document_as_replaced(received, tree, people):
    response = _post(
        people["clerk_b"], tree["commune_a"], _package(tree, business_type=3, replaces=DOCUMENT_ID)
    )
    assert response.status_code == 403
    assert _untouched(received)
    assert Document.objects.count() == 1


def test_a_specialist_of_the_unit_cannot_import_either(received, tree, people):
    response = _post(people["specialist_a"], tree["commune_a"], _package(tree, business_type=2))
    assert response.status_code == 403
    assert _untouched(received)


def test_an_html_attachment_never_becomes_a_version(received, tree, people):
    html = edxml.Attachment("phu-luc.html", "text/html", HTML)
    response = _post(
        people["clerk_a"], tree["commune_a"], _package(tree, business_type=2, attachment=html)
    )
    assert response.status_code == 400
    assert "không đúng định dạng" in response.json()["error"]["message"]
    assert _untouched(received)
    assert not Version.objects.filter(content_type__icontains="html").exists()


def test_the_type_the_sender_declared_is_not_kept(received, tree, people):
    png = edxml.Attachment("anh.html", "text/html", support.png())
    response = _post(
        people["clerk_a"], tree["commune_a"], _package(tree, business_type=2, attachment=png)
    )
    assert response.status_code == 201
    version = received.versions.order_by("-number").first()
    assert version.content_type == "image/png"
    assert version.file.name.endswith(".png")
