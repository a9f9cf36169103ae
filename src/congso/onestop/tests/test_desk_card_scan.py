"""The desk reads the applicant's ID card QR code: the intake form is filled from it (and from the
applicant's earlier dossier), a bad scan fills nothing, and earlier scans are offered for reuse."""

import datetime as dt

import pytest
import weasyprint
from django.urls import reverse

from congso.accounts.tests.factories import cccd_payload
from congso.catalog.models import Procedure
from congso.core.uploads import check_content
from congso.onestop import services
from congso.onestop.models import Dossier

URL = reverse("onestop:receive")
CERTIFY = "2.000815"


@pytest.fixture
def desk(client, demo):
    user = demo["people"]["motcua.nghilong"]
    client.force_login(user)
    return user


@pytest.fixture
def certify(demo):
    return Procedure.objects.get(code=CERTIFY)


def _scan(client, unit, procedure, card):
    data = {"unit": unit.pk, "procedure": procedure.code, "card": card, "action": "scan"}
    return client.post(URL, data)


def test_a_scan_fills_the_applicant_and_puts_the_focus_on_the_documents(
    client, desk, demo, certify
):
    commune = demo["units"]["Xã Nghi Long"]
    response = _scan(client, commune, certify, cccd_payload(77) + "\n")
    form = response.context["form"]
    assert response.status_code == 200 and not form.is_bound
    assert form.initial["applicant_id_number"] == "040190000077"
    assert form.initial["applicant_name"] == "Nguyễn Thị Mai"
    assert form.initial["applicant_birth_date"] == dt.date(1990, 5, 17)
    assert form.initial["applicant_sex"] == "female"
    assert form.initial["applicant_id_issued_on"] == dt.date(2021, 7, 2)
    assert form.initial["applicant_address"].startswith("Xóm 3")
    html = response.content.decode()
    assert 'value="17/05/1990"' in html and 'value="02/07/2021"' in html
    first = form.documents[0].pk
    assert "autofocus" in str(form[f"doc_{first}_received"])


def test_a_bad_scan_fills_nothing_and_says_why_in_vietnamese(client, desk, demo, certify):
    commune = demo["units"]["Xã Nghi Long"]
    response = _scan(client, commune, certify, cccd_payload().replace("|Nữ|", "|Nam|"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Không đọc được mã QR trên căn cước" in html and "Giới tính không khớp" in html
    assert "Nguyễn Thị Mai" not in html
    assert not response.context["form"].initial.get("applicant_id_number")


def test_a_repeat_applicant_is_recognised_and_an_earlier_scan_is_reused(
    client, desk, demo, certify, intake_for
):
    commune = demo["units"]["Xã Nghi Long"]
    version = certify.current_version()
    doc = version.documents.filter(mandatory=True, is_declaration=False).first()
    intake = intake_for(certify, commune, pages=3)
    intake.applicant.address = "Xóm 5, xã Nghi Long"
    for item in intake.documents:
        item.file = check_content(weasyprint.HTML(string="<p>Bản chính</p>").write_pdf(), "x")
    earlier = services.receive_at_desk(desk, intake)

    response = _scan(client, commune, certify, "040190001234")
    form = response.context["form"]
    assert form.initial["applicant_name"] == "Nguyễn Thị Mai"
    assert form.initial["applicant_phone"] == earlier.applicant_phone
    assert form.initial["applicant_address"] == "Xóm 5, xã Nghi Long"
    choices = dict(form.fields[f"doc_{doc.pk}_reuse"].choices)
    key = next(k for k in choices if k.startswith("dossier:"))
    assert earlier.code in choices[key]

    data = {
        "unit": commune.pk,
        "procedure": CERTIFY,
        "applicant_name": "Nguyễn Thị Mai",
        "applicant_id_number": "040190001234",
        "result_delivery": "desk",
        "copies": 1,
        "pages": 3,
        "action": "receive",
    }
    for each in version.documents.all():
        data[f"doc_{each.pk}_copy_kind"] = each.copy_kind
        data[f"doc_{each.pk}_count"] = each.count
        if each.mandatory and each.pk != doc.pk:
            data[f"doc_{each.pk}_received"] = "on"
    data[f"doc_{doc.pk}_reuse"] = key
    response = client.post(URL, data)
    assert response.status_code == 302, response.context["form"].errors
    reused = Dossier.objects.exclude(pk=earlier.pk).get().documents.get(required_document=doc)
    assert reused.reused and reused.digitised
    assert reused.sha256 == earlier.documents.get(required_document=doc).sha256


def test_another_persons_scan_cannot_be_reused(client, desk, demo, certify, intake_for):
    commune = demo["units"]["Xã Nghi Long"]
    intake = intake_for(certify, commune, pages=3)
    for item in intake.documents:
        item.file = check_content(weasyprint.HTML(string="<p>Khác</p>").write_pdf(), "x")
    earlier = services.receive_at_desk(desk, intake)
    stranger = earlier.documents.exclude(file="").first()
    doc = certify.current_version().documents.filter(mandatory=True, is_declaration=False).first()
    data = {
        "unit": commune.pk,
        "procedure": CERTIFY,
        "applicant_name": "Lê Văn Bình",
        "applicant_id_number": "040204000007",
        "result_delivery": "desk",
        "copies": 1,
        "pages": 3,
        "action": "receive",
        f"doc_{doc.pk}_reuse": f"dossier:{stranger.pk}",
    }
    response = client.post(URL, data)
    assert response.status_code == 200 and Dossier.objects.count() == 1
    assert "Có lỗi cần sửa" in response.content.decode()
