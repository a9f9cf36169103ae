"""A document's text as page images (issue 17, item 7): the page shows the pages of the newest PDF
that is the text, each served as an inert PNG to those who may see the document, and nothing
else (another unit's official, a working paper, a page past the end)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from congso.documents.models import Version, VersionKind
from congso.signing.tests.support import simple_pdf

pytestmark = pytest.mark.django_db


def _image(client, document, number, page):
    return client.get(reverse("documents:page_image", args=[document.pk, number, page]))


def test_the_draft_is_shown_page_by_page_to_those_who_see_it(draft, people, client):
    document = draft()
    client.force_login(people["specialist"])
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert 'aria-labelledby="text-title"' in page and 'data-text-page="1"' in page
    image = _image(client, document, 1, 1)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert image["Content-Type"] == "image/png" and image["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in image["Cache-Control"]
    assert _image(client, document, 1, 2).status_code == 404  # a one-page draft
    client.force_login(people["clerk_b"])  # another commune's clerk does not see the draft
    assert _image(client, document, 1, 1).status_code == 404


def test_a_working_paper_is_not_the_text(draft, people, client):
    document = draft()
    paper = Version(
        document=document,
        number=2,
        kind=VersionKind.ATTACHMENT,
        name="ghi-chu.pdf",
        sha256="0" * 64,
        created_by=people["specialist"],
    )
    paper.file.save("ghi-chu.pdf", ContentFile(simple_pdf("Ghi chu")), save=False)
    paper.save()
    client.force_login(people["specialist"])
    page = client.get(reverse("documents:detail", args=[document.pk]))
    assert page.context["text_version"].number == 1
    assert _image(client, document, 2, 1).status_code == 404
