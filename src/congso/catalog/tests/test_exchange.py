"""Import and export: JSON and Excel round trips, idempotence, and malformed files that are
reported by sheet/row/column (or procedure/field) and import nothing."""

import io
import json

import pytest
from openpyxl import load_workbook

from congso.catalog import services
from congso.catalog.exchange import ImportFailed
from congso.catalog.models import Procedure, ProcedureVersion, Sector
from congso.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _wipe_catalogue():
    """Start from an empty catalogue in the same test database."""
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Sector.objects.all().delete()


def _counts():
    return (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        Sector.objects.count(),
        AuditRecord.objects.filter(action="catalog.import").count(),
    )


def _fails(raw: bytes, name: str) -> list[str]:
    before = _counts()
    with pytest.raises(ImportFailed) as caught:
        services.import_catalog(raw, name)
    assert _counts() == before, "a failed import must leave nothing behind"
    return caught.value.messages


def test_json_round_trip(catalog_data):
    original = services.export_catalog("json")
    _wipe_catalogue()
    report = services.import_catalog(original, "catalogue.json")
    assert (report.procedures_created, report.versions_published) == (26, 26)
    assert json.loads(services.export_catalog("json")) == json.loads(original)


def test_excel_round_trip(catalog_data):
    original = json.loads(services.export_catalog("json"))
    workbook = services.export_catalog("xlsx")
    _wipe_catalogue()
    services.import_catalog(workbook, "catalogue.xlsx")
    assert json.loads(services.export_catalog("json")) == original


def test_excel_has_the_documented_sheets_and_headers(catalog_data):
    book = load_workbook(io.BytesIO(services.export_catalog("xlsx")))
    assert book.sheetnames == [
        "Lĩnh vực",
        "Thủ tục",
        "Thời hạn và phí",
        "Thành phần hồ sơ",
        "Quy trình",
    ]
    procedures = book["Thủ tục"]
    assert procedures["A1"].value == "Mã thủ tục" and procedures["D1"].value == "Cấp thực hiện"
    assert procedures.max_row == 27
    assert book["Thời hạn và phí"]["F1"].value == "Loại phí"


def test_importing_the_same_file_twice_changes_nothing(catalog_data):
    raw = services.export_catalog("json")
    audit_before = AuditRecord.objects.count()
    report = services.import_catalog(raw, "again.json")
    assert report.unchanged == 26 and report.versions_published == 0
    assert ProcedureVersion.objects.count() == 26
    assert AuditRecord.objects.count() == audit_before  # nothing changed, nothing recorded


def test_changed_content_publishes_a_new_version(catalog_data):
    data = json.loads(services.export_catalog("json"))
    entry = next(p for p in data["procedures"] if p["code"] == "2.000635")
    entry["version"]["valid_from"] = "2026-01-01"
    entry["version"]["channels"]["desk"]["fee"]["amount"] = 10000
    entry["name"] = "Cấp bản sao trích lục hộ tịch (sửa tên)"
    report = services.import_catalog(json.dumps(data).encode(), "changed.json")
    assert (report.versions_published, report.procedures_updated, report.unchanged) == (1, 1, 25)
    procedure = Procedure.objects.get(code="2.000635")
    assert procedure.name.endswith("(sửa tên)")
    assert procedure.versions.count() == 2
    old = services.version_in_force(procedure, "2025-12-31")
    assert services.compute_fee(old, "desk", copies=1) == 8000


def test_changed_content_without_a_later_date_is_refused(catalog_data):
    data = json.loads(services.export_catalog("json"))
    data["procedures"][3]["version"]["result"] = "Kết quả khác"
    messages = _fails(json.dumps(data).encode(), "x.json")
    assert messages == [
        f"Thủ tục thứ 4 (mã {data['procedures'][3]['code']}), trường “version.valid_from”: "
        "nội dung khác phiên bản hiện có nên phải áp dụng sau ngày 01/07/2025."
    ]


# --- malformed JSON --------------------------------------------------------------------------


def test_bad_json_syntax(catalog_data):
    messages = _fails(b'{"format": "congso.catalog",\n "procedures": [}', "x.json")
    assert messages[0].startswith("Tệp JSON không đọc được (dòng 2)")


def test_json_of_another_kind(catalog_data):
    messages = _fails(b'{"hello": 1}', "x.json")
    assert "không đúng định dạng danh mục Công Sở" in messages[0]


def test_json_bad_values_are_located_and_all_reported(catalog_data):
    data = json.loads(services.export_catalog("json"))
    data["procedures"][1]["level"] = "village"
    data["procedures"][2]["version"]["channels"]["desk"]["fee"] = {"kind": "per_page"}
    data["procedures"][4]["version"]["documents"][0]["count"] = 0
    data["procedures"][5]["sector"] = "XYZ"
    data["procedures"][6]["code"] = data["procedures"][7]["code"]
    data["procedures"][8]["units"] = ["000.99.99.H99"]
    codes = [p["code"] for p in data["procedures"]]
    messages = _fails(json.dumps(data).encode(), "x.json")
    assert (
        f"Thủ tục thứ 2 (mã {codes[1]}), trường “level”: Cấp thực hiện “village” không hợp lệ; "
        "chọn một trong: commune, district, province." in messages
    )
    assert any(
        m.startswith(f"Thủ tục thứ 3 (mã {codes[2]}), trường “version.channels.desk.fee”")
        and "ít nhất một bậc" in m
        for m in messages
    )
    assert (
        f"Thủ tục thứ 5 (mã {codes[4]}), trường “version.documents.0.count”: "
        "Số lượng phải là số nguyên từ 1." in messages
    )
    assert (
        f"Thủ tục thứ 6 (mã {codes[5]}), trường “sector”: không có lĩnh vực mã “XYZ”." in messages
    )
    assert (
        f"Thủ tục thứ 8 (mã {codes[7]}), trường “code”: mã thủ tục bị trùng trong tệp." in messages
    )
    assert (
        f"Thủ tục thứ 9 (mã {codes[8]}), trường “units”: "
        "không có đơn vị mã định danh “000.99.99.H99”." in messages
    )


def test_json_missing_fields(catalog_data):
    data = json.loads(services.export_catalog("json"))
    del data["procedures"][0]["version"]
    del data["procedures"][1]["name"]
    messages = _fails(json.dumps(data).encode(), "x.json")
    assert any("Thủ tục thứ 1" in m and "Nội dung phiên bản" in m for m in messages)
    assert any("Thủ tục thứ 2" in m and "“name”: Chưa nhập tên thủ tục." in m for m in messages)


# --- malformed Excel -------------------------------------------------------------------------


def _workbook(raw: bytes):
    return load_workbook(io.BytesIO(raw))


def _bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def workbook(catalog_data):
    return _workbook(services.export_catalog("xlsx"))


def _row_of(sheet, code: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == code)


def test_excel_missing_column(workbook):
    workbook["Thủ tục"]["D1"] = "Cột khác"
    messages = _fails(_bytes(workbook), "x.xlsx")
    assert messages == ["Trang “Thủ tục”: thiếu cột “Cấp thực hiện”."]


def test_excel_missing_sheet(workbook):
    del workbook["Quy trình"]
    assert _fails(_bytes(workbook), "x.xlsx") == ["Thiếu trang “Quy trình”."]


def test_excel_bad_values_name_sheet_row_and_column(workbook):
    procedures = workbook["Thủ tục"]
    procedures.cell(3, 4).value = "Cấp thôn"
    procedures.cell(4, 3).value = "XYZ"
    procedures.cell(5, 8).value = "31/02/2025"
    channels = workbook["Thời hạn và phí"]
    channels.cell(2, 6).value = "Theo cân nặng"
    documents = workbook["Thành phần hồ sơ"]
    documents.cell(2, 4).value = 0
    steps = workbook["Quy trình"]
    steps.cell(2, 3).value = "Bảo vệ"
    messages = _fails(_bytes(workbook), "x.xlsx")
    assert (
        "Trang “Thủ tục”, dòng 3, cột “Cấp thực hiện”: “Cấp thôn” không hợp lệ; "
        "chọn một trong: Cấp xã, Cấp huyện, Cấp tỉnh." in messages
    )
    assert "Trang “Thủ tục”, dòng 4, cột “Mã lĩnh vực”: không có lĩnh vực mã “XYZ”." in messages
    assert (
        "Trang “Thủ tục”, dòng 5, cột “Áp dụng từ ngày”: “31/02/2025” không phải ngày dạng "
        "dd/mm/yyyy." in messages
    )
    assert any(
        m.startswith("Trang “Thời hạn và phí”, dòng 2, cột “Loại phí”: Loại phí “Theo cân nặng”")
        for m in messages
    )
    assert (
        "Trang “Thành phần hồ sơ”, dòng 2, cột “Số lượng”: Số lượng phải là số nguyên từ 1."
        in messages
    )
    assert any(
        m.startswith("Trang “Quy trình”, dòng 2, cột “Vai trò thực hiện”: “Bảo vệ” không hợp lệ")
        for m in messages
    )


def test_excel_rows_of_an_unknown_procedure(workbook):
    channels = workbook["Thời hạn và phí"]
    channels.cell(2, 1).value = "7.777777"
    messages = _fails(_bytes(workbook), "x.xlsx")
    assert (
        "Trang “Thời hạn và phí”, dòng 2, cột “Mã thủ tục”: không có thủ tục mã “7.777777” "
        "trong trang “Thủ tục”." in messages
    )


def test_excel_fee_rule_error_points_at_the_channel_row(workbook):
    channels = workbook["Thời hạn và phí"]
    row = _row_of(channels, "2.000815")
    channels.cell(row, 8).value = "3:1000"  # tiers must start at page 1
    messages = _fails(_bytes(workbook), "x.xlsx")
    assert messages == [
        f"Trang “Thời hạn và phí”, dòng {row}, cột “Loại phí”: "
        "Phí theo trang: bậc đầu tiên phải bắt đầu từ trang 1."
    ]


def test_excel_required_cell_left_empty(workbook):
    workbook["Thủ tục"].cell(2, 2).value = None
    messages = _fails(_bytes(workbook), "x.xlsx")
    assert messages == ["Trang “Thủ tục”, dòng 2, cột “Tên thủ tục”: chưa nhập."]


def test_broken_excel_file(catalog_data):
    messages = _fails(b"PK\x03\x04 not really a workbook", "x.xlsx")
    assert messages[0].startswith("Tệp Excel không đọc được")


def test_excel_accepts_codes_as_well_as_labels(workbook):
    procedures = workbook["Thủ tục"]
    row = _row_of(procedures, "1.001193")
    procedures.cell(row, 4).value = "commune"
    procedures.cell(row, 5).value = "fully_online"
    report = services.import_catalog(_bytes(workbook), "x.xlsx")
    assert report.unchanged == 26
