"""The national-portal sync record: exact field names, ``yyyyMMddHHmmss`` local timestamps, codes,
flags and the step log; through the API (officials only) and the ``export_dossier`` command."""

import datetime as dt
import json
import re

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from congso.catalog.models import Procedure
from congso.core.uploads import check_file
from congso.onestop import services, sync

from .conftest import VN, monday_morning

STAMP = re.compile(r"^\d{14}$")

FIELDS = {
    "MaHoSo",
    "MaDonViTiepNhan",
    "DonViTiepNhan",
    "DonViXuLy",
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "KenhThucHien",
    "NoiNopHoSo",
    "LoaiDoiTuong",
    "ChuHoSo",
    "LoaiDinhDanh",
    "SoDinhDanh",
    "SoDienThoai",
    "Email",
    "DiaChi",
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayHenTraLai",
    "NgayKetThucXuLy",
    "NgayTra",
    "NgayTuChoi",
    "TrangThaiHoSo",
    "TienDoXuLy",
    "HinhThucTra",
    "TaiKhoanDuocXacThucVoiVNeID",
    "HoSoCoThanhPhanSoHoa",
    "TaiLieuNop",
    "DanhSachLePhi",
    "DanhSachHoSoBoSung",
    "DanhSachGiayToKetQua",
    "QuaTrinhXuLy",
}
STEP_FIELDS = {
    "NguoiXuLy",
    "ChucDanh",
    "ThoiDiemXuLy",
    "PhongBanXuLy",
    "NoiDungXuLy",
    "TrangThai",
    "NgayBatDau",
    "NgayKetThucTheoQuyDinh",
}


def test_stamp_is_local_time_in_fourteen_digits():
    utc = dt.datetime(2026, 3, 9, 1, 5, 9, tzinfo=dt.UTC)
    assert sync.stamp(utc) == "20260309080509"
    assert sync.stamp(None) is None


@pytest.fixture
def journey(demo, intake_for):
    """Received Monday 08:00, supplement asked 09:00 and given 14:00, forwarded, approved,
    returned the next day; a result PDF attached."""
    people, units = demo["people"], demo["units"]
    desk, clerk, leader = (
        people["motcua.nghilong"],
        people["congchuc.nghilong"],
        people["lanhdao.nghilong"],
    )
    procedure = Procedure.objects.get(code="1.004873")
    now = monday_morning()
    dossier = services.receive_at_desk(
        desk, intake_for(procedure, units["Xã Nghi Long"], result_delivery="post"), now=now
    )
    steps = [
        ("start", desk, 5, {}),
        ("request_supplement", clerk, 60, {"items": ["Tờ khai"], "note": "Thiếu chữ ký"}),
    ]
    for name, user, minutes, payload in steps:
        dossier = services.transition(
            dossier, name, actor=user, now=now + dt.timedelta(minutes=minutes), **payload
        )
    paper = services.ReceivedDocument(required_document_id=None, name="Tờ khai có chữ ký")
    dossier = services.transition(
        dossier, "supplement", actor=desk, now=now + dt.timedelta(hours=6), documents=[paper]
    )
    pdf = check_file(SimpleUploadedFile("kq.pdf", weasyprint.HTML(string="<p>KQ</p>").write_pdf()))
    services.attach_result(dossier, actor=clerk, title="Giấy xác nhận", file=pdf)
    dossier.refresh_from_db()
    dossier = services.transition(
        dossier, "forward", actor=clerk, opinion="Đủ điều kiện", now=now + dt.timedelta(hours=7)
    )
    dossier = services.transition(dossier, "approve", actor=leader, now=now + dt.timedelta(hours=8))
    return services.transition(
        dossier,
        "return_result",
        actor=desk,
        post_tracking="EB123456789VN",
        now=now + dt.timedelta(days=1, hours=1),
    )


def test_record_has_exactly_the_national_fields_and_formats(journey):
    record = sync.national_record(sync.for_sync().get(pk=journey.pk))
    assert set(record) == FIELDS
    assert record["MaHoSo"] == journey.code
    assert record["MaDonViTiepNhan"] == journey.code.split("-")[0]
    assert record["MaTTHC"] == "1.004873"
    assert record["TenTTHC"] == journey.procedure.name
    assert record["MaLinhVuc"] == journey.procedure.sector.code
    assert record["KenhThucHien"] == "1" and record["LoaiDoiTuong"] == "1"
    assert record["NoiNopHoSo"] == "0"
    assert record["LoaiDinhDanh"] == "1" and record["SoDinhDanh"] == "040190001234"
    assert record["NgayNopHoSo"] == record["NgayTiepNhan"] == "20260309080000"
    assert record["NgayTra"] == "20260310090000"
    assert record["NgayKetThucXuLy"] == "20260309160000"
    assert STAMP.match(record["NgayHenTra"])
    assert record["NgayTuChoi"] is None and record["NgayHenTraLai"] is None
    assert record["TrangThaiHoSo"] == "10"
    assert record["HinhThucTra"] == "2"
    assert "DuocThanhToanTrucTuyen" not in record  # not paid online: absent
    assert record["TaiKhoanDuocXacThucVoiVNeID"] == "0"
    assert record["HoSoCoThanhPhanSoHoa"] == "0"
    json.dumps(record)  # plain JSON, nothing left for an encoder to guess


def test_attachments_fees_supplements_and_results(journey):
    record = sync.national_record(sync.for_sync().get(pk=journey.pk))
    attachments = record["TaiLieuNop"]
    assert attachments[-1]["TenTepDinhKem"] == "Tờ khai có chữ ký"
    assert attachments[-1]["NopBoSung"] is True
    for item in attachments:
        assert {"DuocSoHoa", "DuocTaiSuDung", "DuocLayTuKhoDMQG"} <= set(item)
        assert item["DuocSoHoa"] == "0"  # paper ticked at the desk, no scan
        assert item["DuocLayTuKhoDMQG"] == "0"
    assert [fee["HinhThucThu"] for fee in record["DanhSachLePhi"]] == (
        ["1"] if journey.fee_amount else []
    )
    assert record["DanhSachHoSoBoSung"] == [
        {
            "NgayYeuCau": "20260309090000",
            "NoiDungYeuCau": ["Tờ khai"],
            "LyDo": "Thiếu chữ ký",
            "NgayBoSung": "20260309140000",
        }
    ]
    [result] = record["DanhSachGiayToKetQua"]
    assert result["TenGiayTo"] == "Giấy xác nhận" and result["DaKySo"] is False
    assert len(result["MaHash"]) == 64
    assert result["DuongDanTepTinKetQua"].endswith(f"/onestop/dossiers/{journey.code}/result/file/")


def test_step_log_names_officer_title_unit_time_and_deadline(journey, demo):
    log = sync.national_record(sync.for_sync().get(pk=journey.pk))["QuaTrinhXuLy"]
    assert all(set(row) == STEP_FIELDS for row in log)
    assert [row["ThoiDiemXuLy"] for row in log] == [
        "20260309080000",
        "20260309080500",
        "20260309090000",
        "20260309140000",
        "20260309150000",
        "20260309160000",
        "20260310090000",
    ]
    receive, start, supplement_request = log[0], log[1], log[2]
    assert receive["NguoiXuLy"] == demo["people"]["motcua.nghilong"].get_full_name()
    assert receive["ChucDanh"] == "Cán bộ Một cửa xã"
    assert receive["PhongBanXuLy"] == demo["units"]["Xã Nghi Long"].name
    assert receive["NoiDungXuLy"] == "Tiếp nhận hồ sơ" and receive["TrangThai"] == "2"
    assert receive["NgayKetThucTheoQuyDinh"] is None and receive["NgayBatDau"] is None
    assert start["TrangThai"] == "4"
    assert supplement_request["ChucDanh"] == "Công chức Tư pháp - Hộ tịch"
    assert supplement_request["NoiDungXuLy"] == "Yêu cầu bổ sung: Thiếu chữ ký"
    assert STAMP.match(supplement_request["NgayKetThucTheoQuyDinh"])
    assert supplement_request["NgayBatDau"] == "20260309080500"
    assert log[-1]["TrangThai"] == "10"


def test_refused_intake_has_its_timestamp(demo, online_intake_for, citizen):
    birth = Procedure.objects.get(code="1.001193")
    filed = services.file_online(
        citizen,
        online_intake_for(birth, demo["units"]["Xã Nghi Long"]),
        now=dt.datetime(2026, 3, 9, 20, 0, tzinfo=VN),
    )
    refused = services.transition(
        filed,
        "refuse_intake",
        actor=demo["people"]["motcua.nghilong"],
        note="Không thuộc thẩm quyền",
        now=dt.datetime(2026, 3, 10, 7, 30, tzinfo=VN),
    )
    record = sync.national_record(refused)
    assert record["KenhThucHien"] == "2" and record["TrangThaiHoSo"] == "3"
    assert record["NoiNopHoSo"] == "2" and record["TienDoXuLy"] is None  # never received
    assert record["NgayNopHoSo"] == "20260309200000"
    assert record["NgayTuChoi"] == "20260310073000"
    assert record["NgayTiepNhan"] is None


def test_vneid_flag_follows_the_applicants_eid_login(demo, online_intake_for, citizen):
    citizen.eid_subject = "vneid-0001"
    citizen.save()
    birth = Procedure.objects.get(code="1.001193")
    filed = services.file_online(citizen, online_intake_for(birth, demo["units"]["Xã Nghi Long"]))
    assert sync.national_record(filed)["TaiKhoanDuocXacThucVoiVNeID"] == "1"


# --- API and command -------------------------------------------------------------------------


def _get(user, code):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/dossiers/{code}/sync/")


def test_sync_endpoint_is_for_officials_who_see_the_dossier(journey, demo, official_at):
    from congso.accounts.models import Role

    response = _get(demo["people"]["lanhdao.nghiloc"], journey.code)
    assert response.status_code == 200
    assert response.json()["MaHoSo"] == journey.code
    assert response.json()["NgayTra"] == "20260310090000"
    stranger = official_at(demo["units"]["Xã Nghi Mỹ"], Role.DESK_OFFICER)
    assert _get(stranger, journey.code).status_code == 404
    assert _get(demo["people"]["congdan.an"], journey.code).status_code == 403


def test_command_writes_one_dossier(journey, tmp_path):
    out = tmp_path / "hoso.json"
    call_command("export_dossier", journey.code.lower(), out=str(out))
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["MaHoSo"] == journey.code
    assert "Tờ khai có chữ ký" in out.read_text(encoding="utf-8")  # UTF-8, not \\u escapes


def test_command_all_since_keeps_only_changed_dossiers(journey, demo, intake_for, tmp_path):
    birth = Procedure.objects.get(code="1.001193")
    later = services.receive_at_desk(
        demo["people"]["motcua.nghilong"],
        intake_for(birth, demo["units"]["Xã Nghi Long"]),
        now=dt.datetime(2026, 3, 12, 8, 0, tzinfo=VN),
    )
    out = tmp_path / "all.json"
    call_command("export_dossier", all=True, since="11/03/2026", out=str(out))
    assert [r["MaHoSo"] for r in json.loads(out.read_text())] == [later.code]
    call_command("export_dossier", all=True, since="12/03/2026 08:00:01", out=str(out))
    assert json.loads(out.read_text()) == []
    call_command("export_dossier", all=True, since="20260312080000", out=str(out))
    assert [r["MaHoSo"] for r in json.loads(out.read_text())] == [later.code]
    call_command("export_dossier", all=True, out=str(out))
    assert [r["MaHoSo"] for r in json.loads(out.read_text())] == [journey.code, later.code]


@pytest.mark.parametrize(
    "args, options, message",
    [
        (["000.00.00.X99-260309-0001"], {}, "Không tìm thấy"),
        ([], {}, "--all"),
        ([], {"all": True, "since": "2026-03-11"}, "dd/mm/yyyy"),
        ([], {"all": True, "since": "2026031108"}, "yyyyMMddHHmmss"),
        (["X"], {"all": True}, "không dùng cả hai"),
    ],
)
def test_command_refuses_bad_arguments_in_vietnamese(db, args, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_dossier", *args, **options)


# --- Issue 15 item 5: payments, schema, incremental export to the second ---------------------


def _paid(dossier, provider="vnpay", when=None):
    from congso.payments.models import Payment

    when = when or dossier.filed_at
    return Payment.objects.create(
        ref=f"T{dossier.pk:08d}{provider[:3]}",
        dossier=dossier,
        unit=dossier.receiving_unit,
        amount=max(dossier.fee_amount, 1),
        state="paid",
        provider=provider,
        created_at=when,
        expires_at=when + dt.timedelta(minutes=15),
        settled_at=when,
        paid_at=when,
    )


def test_fee_paid_through_the_provincial_gateway_is_coded_2_from_the_payment(journey):
    from congso.onestop.models import Dossier

    Dossier.objects.filter(pk=journey.pk).update(fee_amount=50000)
    _paid(journey)
    [record] = sync.records(sync.for_sync().filter(pk=journey.pk))
    assert record["DuocThanhToanTrucTuyen"] == "2"  # VNPay: the province's gateway
    assert [fee["HinhThucThu"] for fee in record["DanhSachLePhi"]] == ["2"]


def test_a_national_platform_provider_is_coded_1(journey, monkeypatch):
    from congso.payments.providers.contrib.vnpay.plugin import VNPay

    monkeypatch.setattr(VNPay, "portal_payment_code", "1")
    _paid(journey)
    assert sync.records(sync.for_sync().filter(pk=journey.pk))[0]["DuocThanhToanTrucTuyen"] == "1"


def test_every_demo_dossier_validates_against_the_schema(journey, demo):
    import jsonschema

    from congso.demo import history

    history.generate(80, days=120, seed=5, documents=True)
    validator = jsonschema.Draft202012Validator(
        sync.schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    records = sync.records(sync.for_sync())
    assert len(records) > 80
    for record in records:
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, (record["MaHoSo"], [e.message for e in errors[:3]])
    assert {r["TrangThaiHoSo"] for r in records} >= {"3", "4", "10"}


def test_schema_rejects_what_the_portal_would(journey):
    import jsonschema

    record = sync.national_record(sync.for_sync().get(pk=journey.pk))
    for broken in (
        {**record, "NgayTiepNhan": "2026-03-09"},
        {**record, "DuocThanhToanTrucTuyen": "0"},
        {**record, "KenhThucHien": 1},
        {k: v for k, v in record.items() if k != "QuaTrinhXuLy"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, sync.schema())


def test_incremental_export_is_to_the_second_and_chains(journey, demo, intake_for):
    birth = Procedure.objects.get(code="1.001193")
    first = dt.datetime(2026, 3, 12, 8, 0, 0, tzinfo=VN)
    later = services.receive_at_desk(
        demo["people"]["motcua.nghilong"],
        intake_for(birth, demo["units"]["Xã Nghi Long"]),
        now=first,
    )
    records, following = sync.incremental(
        first, now=first + dt.timedelta(seconds=1, microseconds=5)
    )
    assert [r["MaHoSo"] for r in records] == [later.code] and following == "20260312080001"
    assert sync.incremental(sync.parse_stamp(following), now=first + dt.timedelta(hours=1))[0] == []
    # the second before is not the second itself
    assert sync.incremental(first, now=first)[0] == []


def test_a_settled_payment_puts_the_dossier_in_the_next_increment(journey):
    when = dt.datetime(2026, 3, 20, 10, 0, 0, tzinfo=VN)
    _paid(journey, when=when)
    records, _next = sync.incremental(when, now=when + dt.timedelta(seconds=1))
    assert [r["MaHoSo"] for r in records] == [journey.code]


def test_timeliness_in_the_export_is_the_one_module(journey):
    from congso.onestop import timeliness

    now = dt.datetime(2026, 3, 31, tzinfo=VN)
    record = sync.national_record(sync.for_sync().get(pk=journey.pk), now=now)
    assert record["TienDoXuLy"] == timeliness.classify(timeliness.clock_of(journey), now)
