"""Two citizens: neither can read, change or even detect the other's draft, dossier or file."""

import re

import pytest
from django.http import Http404
from django.urls import reverse

from congso.portal import services
from congso.portal.models import StoredDocument

from .conftest import required_ids, upload


def _page(client, code: str) -> bytes:
    """The 404 page for ``code``, without what differs on every request (code, CSRF token)."""
    body = client.get(reverse("portal:dossier", args=[code])).content
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
    return body.replace(code.encode(), b"?")


@pytest.fixture
def filed(ready_draft):
    return services.submit(ready_draft)


def test_other_citizen_gets_404_everywhere(client, other_citizen, citizen, birth, filed):
    draft = services.start_draft(citizen, birth)
    client.force_login(other_citizen)
    urls = [
        reverse("portal:draft_unit", args=[draft.public_id]),
        reverse("portal:draft_form", args=[draft.public_id, 0]),
        reverse("portal:draft_documents", args=[draft.public_id]),
        reverse("portal:draft_delivery", args=[draft.public_id]),
        reverse("portal:draft_check", args=[draft.public_id]),
        reverse("portal:draft_discard", args=[draft.public_id]),
        reverse("portal:filed", args=[filed.code]),
        reverse("portal:dossier", args=[filed.code]),
        reverse("portal:withdraw", args=[filed.code]),
        reverse("portal:result_file", args=[filed.code]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"note": "x", "unit": 1}).status_code == 404, url
    # An existing code of someone else answers exactly like a code that does not exist.
    assert _page(client, "KHONG-CO-0001") == _page(client, filed.code)
    page = client.get(reverse("portal:my_dossiers")).content.decode()
    assert filed.code not in page and str(draft.public_id) not in page
    filed.refresh_from_db()
    assert filed.state == "new"


def test_other_citizens_stored_document_is_404(client, other_citizen, citizen, birth):
    item = StoredDocument(
        owner=citizen,
        kind="document",
        title="CCCD",
        sha256="a" * 64,
        content_type="application/pdf",
    )
    item.file.save("x.pdf", upload().file, save=False)
    item.save()
    client.force_login(other_citizen)
    assert client.get(reverse("portal:datastore_file", args=[item.public_id])).status_code == 404
    assert "CCCD" not in client.get(reverse("portal:datastore")).content.decode()
    draft = services.start_draft(other_citizen, birth)
    with pytest.raises(Http404):
        services.attach_stored(draft, required_ids(birth)[0], item.public_id)
    response = client.post(
        reverse("portal:draft_documents", args=[draft.public_id]),
        {"document": required_ids(birth)[0], "stored": str(item.public_id)},
    )
    assert response.status_code == 404 and not draft.documents.exists()


def test_anonymous_is_sent_to_login(client, filed):
    response = client.get(reverse("portal:dossier", args=[filed.code]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
