"""Certification of copies (2.000815) filed online: the documents table of the declaration is
filled on its own page, and the fee is counted on its lines (it was refused, "cần cho biết số
trang", because the table could not be filled and the pages were asked for a second time)."""

from django.urls import reverse

from congso.catalog.models import Procedure
from congso.onestop.models import Dossier
from congso.portal import declaration_form as df
from congso.portal.models import Draft

from .conftest import required_ids, upload
from .examples import CERTIFICATION_ANSWERS


def _group(procedure, name):
    return next(
        g.index for g in df.groups(procedure.current_version().form_schema) if name in g.names
    )


def test_certification_is_filed_online_with_the_fee_of_its_lines(client, demo, citizen):
    client.force_login(citizen)
    procedure = Procedure.objects.get(code="2.000815")
    client.post(reverse("portal:start", args=[procedure.code]))
    pid = Draft.objects.get().public_id
    client.post(
        reverse("portal:draft_unit", args=[pid]), {"unit": demo["units"]["Xã Nghi Long"].pk}
    )
    requester = {f"requester.{k}": v for k, v in CERTIFICATION_ANSWERS["requester"].items()}
    line = CERTIFICATION_ANSWERS["documents"][0]
    posts = [
        ("requester", requester),
        ("documents", {f"documents.0.{k}": str(v) for k, v in line.items()}),
        ("delivery", {"delivery": "desk"}),
    ]
    for name, data in posts:
        url = reverse("portal:draft_form", args=[pid, _group(procedure, name)])
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    assert Draft.objects.get().answers["documents"] == [line]
    for pk in required_ids(procedure):
        client.post(
            reverse("portal:draft_documents", args=[pid]), {"document": pk, "file": upload()}
        )
    delivery = client.get(reverse("portal:draft_delivery", args=[pid])).content.decode()
    assert 'name="pages"' not in delivery  # stated once, in the declaration
    client.post(reverse("portal:draft_delivery", args=[pid]), {"result_delivery": "desk"})
    check = client.get(reverse("portal:draft_check", args=[pid])).content.decode()
    assert "42.000 đ" in check  # (2 × 2.000 + 10 × 1.000) × 3 copies
    response = client.post(reverse("portal:draft_check", args=[pid]))
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get()
    assert dossier.fee_amount == 42000 and dossier.form_data["documents"] == [line]


def test_a_blank_documents_table_is_refused_in_vietnamese(client, demo, citizen):
    client.force_login(citizen)
    procedure = Procedure.objects.get(code="2.000815")
    client.post(reverse("portal:start", args=[procedure.code]))
    pid = Draft.objects.get().public_id
    url = reverse("portal:draft_form", args=[pid, _group(procedure, "documents")])
    response = client.post(url, {"documents.0.name": "", "documents.0.pages": ""})
    assert response.status_code == 200
    assert "Nhập ít nhất 1 dòng" in response.content.decode()
    assert "documents" not in Draft.objects.get().answers
