"""The pages: lists, forms with Vietnamese errors at the field, the register page and its
downloads, work files and metadata exports; another commune's document is a 404."""

import pytest
from django.urls import reverse

from congso.documents.models import Document

pytestmark = pytest.mark.django_db


def test_pages_render_for_the_clerk(client, issued, people, tree, in_background):
    document = issued()
    client.force_login(people["clerk"])
    for name in ("list", "register", "registers", "work_files"):
        assert client.get(reverse(f"documents:{name}")).status_code == 200
    assert client.get(reverse("documents:create")).status_code == 200  # the office clerk drafts
    page = client.get(reverse("documents:detail", args=[document.pk]))
    assert "01/QĐ-UBND" in page.content.decode()
    page, pdf = in_background(
        reverse("documents:registers"), {"direction": "outgoing", "format": "pdf"}
    )
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in page.content.decode()  # the export's title
    assert pdf["Content-Type"] == "application/pdf" and pdf.getvalue().startswith(b"%PDF")
    found = client.get(reverse("documents:list") + "?q=kien+toan")
    assert document.subject in found.content.decode()


def test_secret_upload_is_refused_at_the_field(client, people, tree, pdf_upload):
    client.force_login(people["clerk_a"])
    response = client.post(
        reverse("documents:register"),
        {
            "unit": tree["commune_a"].pk,
            "doc_type": "CV",
            "subject": "Tài liệu",
            "author": "Công an huyện",
            "urgency": 0,
            "secrecy": "toi_mat",
            "file": pdf_upload(),
        },
    )
    assert response.status_code == 200
    assert "bản giấy" in response.content.decode()
    assert not Document.objects.exists()


def test_other_commune_gets_404(client, issued, people, tree):
    issued()
    copy = Document.objects.get(unit=tree["commune_a"])
    client.force_login(people["clerk_b"])
    assert client.get(reverse("documents:detail", args=[copy.pk])).status_code == 404
    assert client.get(
        reverse("documents:registers") + f"?unit={tree['commune_a'].pk}"
    ).status_code in (200, 404)


def test_work_file_and_exports(client, issued, people, tree):
    document = issued()
    client.force_login(people["clerk"])
    response = client.post(
        reverse("documents:work_files"),
        {"unit": tree["district"].pk, "code": "12", "title": "Chuyển đổi số", "year": 2026},
    )
    assert response.status_code == 302
    work_file = tree["district"].work_files.get()
    client.post(reverse("documents:file_into", args=[document.pk]), {"work_file": work_file.pk})
    xml = client.get(reverse("documents:work_file_metadata", args=[work_file.pk]) + "?format=xml")
    assert b"<CodeNotation>Q\xc4\x90-UBND</CodeNotation>" in xml.content
    data = client.get(reverse("documents:metadata", args=[document.pk])).json()
    assert data["FileCode"].endswith(".2026.12")
