"""The manage pages: only system administrators; create, edit, publish, import, export."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congso.accounts.models import Role
from congso.accounts.tests.support import log_in
from congso.catalog import services
from congso.catalog.models import Procedure
from congso.catalog.tests.factories import ProcedureFactory, SectorFactory
from congso.core.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, tree, official_at):
    log_in(client, official_at(tree["province"], Role.SYSTEM_ADMIN))
    return client


def _pages(code: str) -> list[str]:
    return [
        reverse("catalog:manage"),
        reverse("catalog:manage_create"),
        reverse("catalog:manage_edit", args=[code]),
        reverse("catalog:manage_publish", args=[code]),
        reverse("catalog:manage_export", args=["json"]),
    ]


def test_anonymous_is_sent_to_log_in(client):
    procedure = ProcedureFactory()
    for url in _pages(procedure.code):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.DESK_OFFICER, Role.LEADER, Role.UNIT_ADMIN])
def test_officials_without_the_right_get_403(client, tree, official_at, role):
    procedure = ProcedureFactory()
    log_in(client, official_at(tree["district"], role))
    for url in _pages(procedure.code):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Không có quyền truy cập" in response.text


def test_citizen_gets_403_and_cannot_import(client, citizen):
    log_in(client, citizen)
    assert client.get(reverse("catalog:manage")).status_code == 403
    upload = SimpleUploadedFile("c.json", services.export_catalog("json"))
    response = client.post(reverse("catalog:manage_import"), {"file": upload})
    assert response.status_code == 403


def test_system_admin_sees_every_page(admin_client):
    procedure = ProcedureFactory(is_active=False)
    for url in _pages(procedure.code):
        assert admin_client.get(url).status_code == 200, url
    listing = admin_client.get(reverse("catalog:manage"))
    assert procedure.code in listing.text and "Ngừng áp dụng" in listing.text


def _version_data(**overrides) -> dict:
    data = {
        "valid_from": "01/07/2026",
        "applicants": "Công dân",
        "deciding_agency": "Ủy ban nhân dân cấp xã",
        "where_to_file": "Bộ phận Một cửa",
        "result": "Bản sao có chứng thực",
        "legal_basis": "Nghị định số 23/2015/NĐ-CP",
        "form_schema": "",
        "desk-offered": "on",
        "desk-time_amount": "0",
        "desk-time_unit": "same_day",
        "desk-fee_kind": "per_page",
        "desk-fee_tiers": "1:2000; 3:1000",
        "desk-fee_max_per_copy": "200000",
        "desk-fee_exemptions": "Người có công\nHộ nghèo",
        "online-offered": "on",
        "online-time_amount": "1",
        "online-time_unit": "working_days",
        "online-fee_kind": "fixed",
        "online-fee_amount": "5000",
        "post-time_unit": "working_days",
        "post-fee_kind": "free",
        "documents-TOTAL_FORMS": "2",
        "documents-INITIAL_FORMS": "0",
        "documents-0-name": "Bản chính giấy tờ",
        "documents-0-copy_kind": "original",
        "documents-0-count": "1",
        "documents-0-mandatory": "on",
        "documents-1-copy_kind": "original",
        "documents-1-count": "1",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-name": "Tiếp nhận",
        "steps-0-role": "desk_officer",
        "steps-0-responsible": "commune",
        "steps-0-amount": "1",
        "steps-0-unit": "working_hours",
    }
    data.update(overrides)
    return data


def test_create_a_procedure_with_its_first_version(admin_client):
    sector = SectorFactory(code="CT", name="Chứng thực")
    data = _version_data(
        code="2.999999",
        name="Chứng thực thử",
        sector=sector.pk,
        level="commune",
        online_mode="partly_online",
        is_active="on",
    )
    response = admin_client.post(reverse("catalog:manage_create"), data)
    assert response.status_code == 302
    procedure = Procedure.objects.get(code="2.999999")
    version = procedure.versions.get()
    assert version.valid_from == dt.date(2026, 7, 1)
    desk = version.channel("desk")
    assert desk.fee["tiers"] == [{"from_page": 1, "amount": 2000}, {"from_page": 3, "amount": 1000}]
    assert desk.fee["exemptions"] == ["Người có công", "Hộ nghèo"]
    assert version.channel("online").fee == {"kind": "fixed", "amount": 5000}
    assert [d.name for d in version.documents.all()] == ["Bản chính giấy tờ"]
    assert services.compute_fee(version, "desk", pages=5) == 7000
    assert AuditRecord.objects.filter(action="catalog.procedure.create").count() == 1


def test_create_with_mistakes_shows_them_and_saves_nothing(admin_client):
    sector = SectorFactory()
    data = _version_data(
        code="2.999998",
        name="Thủ tục lỗi",
        sector=sector.pk,
        level="commune",
        online_mode="partly_online",
        **{"desk-fee_tiers": "mot:hai", "steps-0-responsible": "", "form_schema": "{oops"},
    )
    response = admin_client.post(reverse("catalog:manage_create"), data)
    assert response.status_code == 200
    assert "Bậc phí “mot:hai” phải có dạng trang:số tiền" in response.text
    assert "Không đọc được JSON" in response.text
    assert not Procedure.objects.filter(code="2.999998").exists()


def test_service_errors_land_next_to_their_field(admin_client):
    sector = SectorFactory()
    data = _version_data(
        code="2.999997",
        name="Thủ tục lỗi",
        sector=sector.pk,
        level="commune",
        online_mode="information",
        **{"steps-0-responsible": ""},
    )
    response = admin_client.post(reverse("catalog:manage_create"), data)
    assert response.status_code == 200
    assert "Thủ tục chỉ cung cấp thông tin thì không nhận hồ sơ trực tuyến." in response.text
    assert "Chưa nhập đơn vị thực hiện." in response.text
    assert not Procedure.objects.filter(code="2.999997").exists()


def test_publish_a_new_version_from_the_prefilled_page(admin_client):
    procedure = ProcedureFactory()
    page = admin_client.get(reverse("catalog:manage_publish", args=[procedure.code]))
    assert "Ủy ban nhân dân cấp xã" in page.text and "Tờ khai mẫu" in page.text
    data = _version_data(change_note="Giảm thời hạn")
    response = admin_client.post(reverse("catalog:manage_publish", args=[procedure.code]), data)
    assert response.status_code == 302
    first, second = procedure.versions.order_by("number")
    assert second.number == 2 and second.change_note == "Giảm thời hạn"
    assert first.valid_until == dt.date(2026, 6, 30)


def test_publish_before_the_latest_version_is_refused_at_the_date(admin_client):
    procedure = ProcedureFactory()
    data = _version_data(valid_from="01/01/2024")
    response = admin_client.post(reverse("catalog:manage_publish", args=[procedure.code]), data)
    assert response.status_code == 200
    assert "Phiên bản mới phải áp dụng sau ngày 01/01/2025" in response.text
    assert procedure.versions.count() == 1


def test_edit_the_identity(admin_client):
    procedure = ProcedureFactory()
    data = {
        "code": "ignored",
        "name": "Tên mới",
        "sector": procedure.sector.pk,
        "level": "district",
        "online_mode": "fully_online",
    }
    response = admin_client.post(reverse("catalog:manage_edit", args=[procedure.code]), data)
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert (procedure.name, procedure.level, procedure.is_active) == ("Tên mới", "district", False)
    assert procedure.code.startswith("9.")


def test_import_and_export_through_the_page(admin_client):
    ProcedureFactory(code="1.111111")
    exported = admin_client.get(reverse("catalog:manage_export", args=["json"]))
    assert exported["Content-Disposition"].startswith('attachment; filename="danh-muc-thu-tuc-')
    data = json.loads(exported.content)
    data["procedures"][0]["code"] = "1.222222"
    upload = SimpleUploadedFile("c.json", json.dumps(data).encode())
    response = admin_client.post(reverse("catalog:manage_import"), {"file": upload})
    assert response.status_code == 302
    assert Procedure.objects.filter(code="1.222222").exists()
    xlsx = admin_client.get(reverse("catalog:manage_export", args=["xlsx"]))
    assert xlsx.content[:2] == b"PK"


def test_failed_import_lists_the_problems(admin_client):
    data = json.loads(services.export_catalog("json"))
    data["procedures"] = [{"code": "1.333333", "name": "X", "sector": "NOPE", "level": "commune"}]
    upload = SimpleUploadedFile("c.json", json.dumps(data).encode())
    response = admin_client.post(reverse("catalog:manage_import"), {"file": upload})
    assert response.status_code == 400
    assert "chưa nhập dữ liệu nào" in response.text
    assert "không có lĩnh vực mã “NOPE”" in response.text
    assert not Procedure.objects.filter(code="1.333333").exists()


def test_import_refuses_other_file_types(admin_client):
    upload = SimpleUploadedFile("c.csv", b"a,b")
    response = admin_client.post(reverse("catalog:manage_import"), {"file": upload})
    assert response.status_code == 400
    assert "Chỉ nhận tệp .json hoặc .xlsx." in response.text
