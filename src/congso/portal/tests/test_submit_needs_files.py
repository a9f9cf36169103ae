"""Submitting through the portal form: every required document needs a file the platform holds
(an upload, or the citizen's own data store). A draft entry left without one (its stored
document gone) is a clear error on the check page and nothing is filed."""

from django.urls import reverse

from congso.onestop.models import Dossier
from congso.portal import services
from congso.portal.models import StoredDocument

from .conftest import pdf_bytes, required_ids, upload


def test_document_without_file_is_refused_and_nothing_filed(client, citizen, ready_draft, birth):
    first = required_ids(birth)[0]
    stored = StoredDocument(
        owner=citizen, kind="document", title="Giấy tờ cũ", sha256="a" * 64, size=10
    )
    stored.file.save("cu.pdf", upload("cu.pdf", pdf_bytes("Cũ")), save=False)
    stored.save()
    services.attach_stored(ready_draft, first, stored.public_id)
    stored.delete()  # the data store entry is gone: the draft row has no file any more
    client.force_login(citizen)
    before = Dossier.objects.count()
    response = client.post(reverse("portal:draft_check", args=[ready_draft.public_id]))
    assert response.status_code == 200
    assert "Giấy tờ" in response.content.decode()
    assert Dossier.objects.count() == before
