"""A stored file is served with the type recognised from its bytes, as an attachment unless it is
a PDF or an image, never sniffed by the browser and sandboxed: an HTML file stored before the
checker existed (its sender said ``text/html``) cannot run in a clerk's session."""

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from congso.documents import services
from congso.documents.models import Version, VersionKind
from congso.documents.tests.test_edxml_import_permission import HTML, _package

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(tree, people):
    return services.import_package(tree["commune_a"], _package(tree), actor=people["clerk_a"])


def _legacy_html(document, user) -> Version:
    version = Version(
        document=document,
        number=2,
        kind=VersionKind.RECEIVED,
        name="phu-luc.html",
        content_type="text/html",
        sha256="0" * 64,
        size=len(HTML),
        created_by=user,
    )
    version.file.save("phu-luc.html", ContentFile(HTML), save=False)
    version.save()
    return version


@pytest.mark.parametrize("url", ["/documents/{pk}/files/{n}/", "/api/v1/documents/{pk}/files/{n}/"])
def test_html_is_served_as_an_inert_attachment(received, people, client, url):
    _legacy_html(received, people["clerk_a"])
    if url.startswith("/api/"):
        client = APIClient()
        client.force_authenticate(people["clerk_a"])
    else:
        client.force_login(people["clerk_a"])
    response = client.get(url.format(pk=received.pk, n=2))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_a_pdf_may_still_be_shown_in_the_browser(received, people):
    client = APIClient()
    client.force_authenticate(people["clerk_a"])
    response = client.get(f"/api/v1/documents/{received.pk}/files/1/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"
