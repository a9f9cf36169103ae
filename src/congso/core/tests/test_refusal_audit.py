"""A refused attempt to change something is evidence: every 403 to a write (page, API, second
factor gate) is in the audit log with the actor and the address; a refused read is not."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from congso.accounts.models import Role
from congso.core.models import AuditRecord


def _refusals():
    return AuditRecord.objects.filter(action="security.refused")


def test_a_refused_page_write_is_audited_with_the_actor(tree, official_at, client):
    specialist = official_at(tree["commune_a"], Role.SPECIALIST)
    client.force_login(specialist)
    url = reverse("org:edit", args=[tree["district"].pk])
    response = client.post(url, {"name": "Đổi tên trái phép"}, REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 403
    record = _refusals().get()
    assert record.actor_id == specialist.pk
    assert record.ip == "198.51.100.4"
    assert record.data == {"method": "POST", "path": url}
    tree["district"].refresh_from_db()
    assert tree["district"].name == "UBND huyện Thử"


def test_a_refused_api_write_is_audited(tree, official_at):
    desk = official_at(tree["commune_a"], Role.DESK_OFFICER)
    api = APIClient()
    api.force_authenticate(desk)
    package = SimpleUploadedFile("goi.edxml", b"<edXML/>", content_type="application/xml")
    response = api.post(
        reverse("api-documents-import"),
        {"unit": tree["commune_b"].pk, "file": package},
        format="multipart",
    )
    assert response.status_code == 403
    assert _refusals().get().actor_id == desk.pk


def test_a_refused_read_is_not_audited(tree, official_at, client):
    client.force_login(official_at(tree["commune_a"], Role.SPECIALIST))
    assert client.get(reverse("org:edit", args=[tree["district"].pk])).status_code == 403
    assert not _refusals().exists()
