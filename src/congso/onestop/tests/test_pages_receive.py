"""Receiving at the desk through the page: the happy path and each refusal (nothing saved)."""

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from congso.accounts.models import Role
from congso.catalog.models import Procedure
from congso.onestop.models import Dossier

URL = reverse("onestop:receive")


@pytest.fixture
def birth(demo):
    return Procedure.objects.get(code="1.001193")


@pytest.fixture
def commune(demo):
    return demo["units"]["Xã Nghi Long"]


@pytest.fixture
def desk(client, demo):
    user = demo["people"]["motcua.nghilong"]
    client.force_login(user)
    return user


def _form(birth, unit, **overrides) -> dict:
    data = {
        "unit": unit.pk,
        "procedure": birth.code,
        "applicant_name": "Nguyễn Thị Mai",
        "applicant_id_number": "040190001234",
        "applicant_phone": "0912345000",
        "applicant_email": "mai@example.vn",
        "applicant_address": "Xóm 3, xã Nghi Long",
        "result_delivery": "desk",
        "copies": 2,
        "pages": 0,
        "action": "receive",
    }
    for doc in birth.current_version().documents.all():
        data[f"doc_{doc.pk}_copy_kind"] = doc.copy_kind
        data[f"doc_{doc.pk}_count"] = doc.count
        if doc.mandatory:
            data[f"doc_{doc.pk}_received"] = "on"
    data.update(overrides)
    return data


def test_choose_then_form_lists_each_required_document(client, desk, birth, commune):
    html = client.get(URL).content.decode()
    assert "1.001193 — Đăng ký khai sinh" in html
    html = client.get(URL, {"unit": commune.pk, "procedure": birth.code}).content.decode()
    for doc in birth.current_version().documents.all():
        assert f'name="doc_{doc.pk}_received"' in html
    assert "5.000 đ" in html  # the desk fee, computed


def test_fee_is_recomputed_without_saving(client, desk, birth, commune):
    response = client.post(
        URL, {**_form(birth, commune, action="fee", copies=3), "applicant_name": ""}
    )
    html = response.content.decode()
    assert "5.000 đ" in html and "Có lỗi cần sửa" not in html
    assert not Dossier.objects.exists()


def test_happy_path_redirects_to_the_dossier_with_code_and_due_date(client, desk, birth, commune):
    scan = SimpleUploadedFile("chung-sinh.pdf", weasyprint.HTML(string="<p>x</p>").write_pdf())
    doc = birth.current_version().documents.filter(mandatory=True, is_declaration=False).first()
    response = client.post(URL, _form(birth, commune, **{f"doc_{doc.pk}_file": scan}))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("onestop:dossier", args=[dossier.code])
    page = client.get(response["Location"]).content.decode()
    due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y %H:%M")
    assert f"Đã tiếp nhận hồ sơ {dossier.code}. Hẹn trả kết quả: {due}" in page
    stored = dossier.documents.get(required_document=doc)
    assert stored.digitised and stored.content_type == "application/pdf"
    assert reverse("onestop:document", args=[dossier.code, stored.pk]) in page
    assert dossier.fee_amount == 5000 and dossier.applicant_address == "Xóm 3, xã Nghi Long"


def _refused(response) -> str:
    assert response.status_code == 200
    assert not Dossier.objects.exists()
    html = response.content.decode()
    assert 'class="error-summary"' in html
    return html


def test_missing_document_is_shown_at_its_row(client, desk, birth, commune):
    doc = birth.current_version().documents.filter(mandatory=True, is_declaration=False).first()
    data = _form(birth, commune)
    del data[f"doc_{doc.pk}_received"]
    html = _refused(client.post(URL, data))
    assert "Giấy tờ bắt buộc; hồ sơ chưa đủ nếu chưa nhận." in html
    assert f'id="id_doc_{doc.pk}_received_error"' in html


def test_bad_personal_id_is_refused_at_the_field(client, desk, birth, commune):
    html = _refused(client.post(URL, _form(birth, commune, applicant_id_number="12345")))
    assert 'id="id_applicant_id_number_error"' in html


def test_no_contact_at_all_is_refused(client, desk, birth, commune):
    data = _form(birth, commune, applicant_id_number="", applicant_phone="", applicant_email="")
    html = _refused(client.post(URL, data))
    assert "Cần ít nhất một trong: số định danh, số điện thoại, thư điện tử." in html


def test_another_communes_unit_is_refused(client, desk, birth, demo):
    html = _refused(client.post(URL, _form(birth, demo["units"]["Xã Nghi Mỹ"])))
    assert "Bạn không phải cán bộ một cửa của đơn vị này." in html


def test_a_fake_scan_is_refused(client, desk, birth, commune):
    doc = birth.current_version().documents.filter(mandatory=True, is_declaration=False).first()
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf")
    html = _refused(client.post(URL, _form(birth, commune, **{f"doc_{doc.pk}_file": fake})))
    assert "không đúng định dạng cho phép" in html


def test_a_procedure_not_offered_here_is_refused(client, desk, commune):
    district_only = Procedure.objects.get(code="1.001612")
    response = client.get(URL, {"unit": commune.pk, "procedure": district_only.code})
    assert "Thủ tục này không được tiếp nhận tại đơn vị đã chọn." in response.content.decode()
    assert 'name="applicant_name"' not in response.content.decode()


def test_an_official_of_two_desks_picks_the_unit(client, demo, birth, commune):
    from congso.accounts.tests.factories import PositionFactory

    user = demo["people"]["motcua.nghilong"]
    PositionFactory(user=user, unit=demo["units"]["Xã Nghi Mỹ"], role=Role.DESK_OFFICER)
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert demo["units"]["Xã Nghi Mỹ"].name in html and commune.name in html
    response = client.post(URL, _form(birth, demo["units"]["Xã Nghi Mỹ"]))
    assert response.status_code == 302
    assert Dossier.objects.get().receiving_unit == demo["units"]["Xã Nghi Mỹ"]


def test_a_specialist_may_not_receive(client, demo):
    client.force_login(demo["people"]["congchuc.nghilong"])
    assert client.get(URL).status_code == 403
