"""Forms 01–07 printed from demo dossiers in the right state: the PDF text (poppler's
``pdftotext -layout``) carries the key fields, the page size is right, the fonts are the Times
New Roman metric clones, and the receipt's QR code encodes the public status page."""

import datetime as dt
import re
import subprocess

import pytest
import segno

from congso.catalog.models import Procedure
from congso.onestop import printing, services
from congso.onestop.printing import FormNotApplicable

from .conftest import monday_morning

pytestmark = pytest.mark.slow

A5 = "419.528 x 595.276 pts"
A4 = "595.276 x 841.89 pts"
A4_LANDSCAPE = "841.89 x 595.276 pts"


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(data: bytes, tmp_path) -> dict:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(
        (k.strip(), v.strip()) for k, v in (line.split(":", 1) for line in out.stdout.splitlines())
    )


def pdf_fonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def people(demo):
    return demo["people"]


@pytest.fixture
def received(demo, intake_for):
    """A birth registration received at the Nghi Long desk on Monday 09/03/2026 at 08:00."""
    procedure = Procedure.objects.get(code="1.001193")
    intake = intake_for(procedure, demo["units"]["Xã Nghi Long"])
    intake.applicant.address = "Xóm Đông Hồ, xã Nghi Long"
    return services.receive_at_desk(demo["people"]["motcua.nghilong"], intake, now=monday_morning())


def _at(minutes: int) -> dt.datetime:
    return monday_morning() + dt.timedelta(minutes=minutes)


def test_01_receipt_fields_a5_and_qr(received, tmp_path, settings):
    data = printing.render_form(received, "01")
    text = pdf_text(data, tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    # Decree 30/2020: a people's committee's form has no governing-body line above it
    assert "UBND XÃ NGHI LONG" in text and "UBND HUYỆN NGHI LỘC" not in text
    assert "Nghi Long, ngày 09 tháng 3 năm 2026" in text
    assert "quyển số 03/2026, số 1" in text and "Số lượng hồ sơ: 01 bộ" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert received.code in text
    assert "Số: " + received.code.rsplit("-", 1)[1] in text
    assert "Nguyễn Thị Mai" in text and "Xóm Đông Hồ, xã Nghi Long" in text
    assert "mai@example.vn" in text and received.applicant_phone in text
    assert "Đăng ký khai sinh" in text and "Giấy chứng sinh" in text
    assert "Xuất trình" in text  # original/copy column
    assert "08:00 09/03/2026" in text  # received at hh:mm dd/mm/yyyy
    assert "17:00 09/03/2026" in text  # same-day procedure: due the same afternoon
    assert "Nhận tại Bộ phận Một cửa" in text
    url = f"{settings.PUBLIC_URL}/lookup/?code={received.code}"
    assert url in text
    info = pdf_info(data, tmp_path)
    assert info["Page size"].startswith(A5) and info["Pages"] == "1"
    assert "Liberation-Serif" in pdf_fonts(data, tmp_path)


def test_01_qr_encodes_the_public_status_page(received, settings):
    """Decode by re-encoding: the SVG embedded is exactly segno's code for the expected URL,
    and not the code of another dossier."""
    html = printing.form_html(received, "01")
    expected = segno.make(
        f"{settings.PUBLIC_URL}/lookup/?code={received.code}", micro=False, error="m"
    ).svg_inline(scale=3)
    assert expected in html
    other = segno.make(f"{settings.PUBLIC_URL}/lookup/?code=X", micro=False, error="m")
    assert other.svg_inline(scale=3) not in html


def test_02_supplement_request_lists_items_reason_and_officer(demo, people, intake_for, tmp_path):
    desk = people["motcua.nghilong"]
    procedure = Procedure.objects.get(code="1.004873")
    dossier = services.receive_at_desk(
        desk, intake_for(procedure, demo["units"]["Xã Nghi Long"]), now=monday_morning()
    )
    dossier = services.transition(
        dossier,
        "request_supplement",
        actor=desk,
        items=["Tờ khai có chữ ký", "Bản sao giấy khai sinh"],
        note="Tờ khai thiếu chữ ký người yêu cầu",
        now=_at(90),
    )
    data = printing.render_form(dossier, "02")
    text = pdf_text(data, tmp_path)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert dossier.code in text and "Nguyễn Thị Mai" in text
    assert "Tờ khai có chữ ký" in text and "Bản sao giấy khai sinh" in text
    assert "Tờ khai thiếu chữ ký người yêu cầu" in text
    assert "09:30 09/03/2026" in text
    assert desk.get_full_name() in text
    assert pdf_info(data, tmp_path)["Page size"].startswith(A5)


def test_03_refusal_at_intake_gives_the_reason(demo, people, online_intake_for, citizen, tmp_path):
    procedure = Procedure.objects.get(code="1.001193")
    dossier = services.file_online(
        citizen, online_intake_for(procedure, demo["units"]["Xã Nghi Long"]), now=monday_morning()
    )
    with pytest.raises(FormNotApplicable):
        printing.render_form(dossier, "01")  # not received: no receipt
    dossier = services.transition(
        dossier,
        "refuse_intake",
        actor=people["motcua.nghilong"],
        note="Giấy chứng sinh không đọc được",
        now=_at(30),
    )
    data = printing.render_form(dossier, "03")
    text = pdf_text(data, tmp_path)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text
    assert "không được tiếp nhận" in text
    assert "Giấy chứng sinh không đọc được" in text
    assert "08:30 09/03/2026" in text and dossier.code in text
    assert pdf_info(data, tmp_path)["Page size"].startswith(A5)


def test_04_apology_has_original_and_new_due(received, people, tmp_path):
    desk, clerk, leader = (
        people["motcua.nghilong"],
        people["congchuc.nghilong"],
        people["lanhdao.nghilong"],
    )
    with pytest.raises(FormNotApplicable, match="hẹn lại"):
        printing.render_form(received, "04")
    dossier = services.transition(received, "start", actor=desk, now=_at(5))
    dossier = services.transition(dossier, "forward", actor=clerk, now=_at(50))
    new_due = dossier.due_at + dt.timedelta(days=2)
    dossier = services.transition(
        dossier,
        "apologise",
        actor=leader,
        note="Chờ xác minh nơi sinh",
        new_due_at=new_due,
        now=_at(120),
    )
    data = printing.render_form(dossier, "04")
    text = pdf_text(data, tmp_path)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Chờ xác minh nơi sinh" in text
    assert re.search(r"ban đầu:\s+17:00 09/03/2026", text)
    assert "17:00 11/03/2026" in text
    assert leader.get_full_name() in text
    assert pdf_info(data, tmp_path)["Page size"].startswith(A5)


def test_05_stop_notice_after_withdrawal(received, people, tmp_path):
    dossier = services.transition(
        received, "withdraw", actor=people["motcua.nghilong"], note="Công dân xin rút", now=_at(45)
    )
    data = printing.render_form(dossier, "05")
    text = pdf_text(data, tmp_path)
    assert "THÔNG BÁO VỀ VIỆC DỪNG XỬ LÝ HỒ SƠ" in text
    assert "Công dân xin rút" in text and "08:45 09/03/2026" in text
    assert pdf_info(data, tmp_path)["Page size"].startswith(A5)


def test_06_control_sheet_has_a_row_per_hand_over(received, people, tmp_path):
    desk, clerk = people["motcua.nghilong"], people["congchuc.nghilong"]
    dossier = services.transition(received, "start", actor=desk, now=_at(5))
    dossier = services.transition(
        dossier, "forward", actor=clerk, opinion="Đủ điều kiện", now=_at(50)
    )
    data = printing.render_form(dossier, "06")
    text = pdf_text(data, tmp_path)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    rows = [line for line in text.splitlines() if re.match(r"\s*[12]\s{2,}", line)]
    assert len(rows) == 2
    # the result column is the giving step's: the specialist's on-time step is on the row
    # where he hands over, not on the row where he receives the dossier
    assert "08:05 09/03/2026" in rows[0] and "Đúng hạn" not in rows[0]
    assert "08:50 09/03/2026" in rows[1] and "Đúng hạn" in rows[1]
    assert desk.get_full_name() in rows[0] and clerk.get_full_name() in rows[1]
    assert pdf_info(data, tmp_path)["Page size"].startswith(A4)


def test_07_is_the_register_of_the_unit_and_month(received, demo, intake_for, tmp_path):
    procedure = Procedure.objects.get(code="1.001193")
    april = services.receive_at_desk(
        demo["people"]["motcua.nghilong"],
        intake_for(procedure, demo["units"]["Xã Nghi Long"]),
        now=monday_morning() + dt.timedelta(days=28),
    )
    data = printing.render_form(received, "07")
    text = pdf_text(data, tmp_path)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "từ ngày 01/03/2026 đến ngày 31/03/2026" in text
    assert received.code in text and april.code not in text
    assert "08:00 09/03/2026" in text
    assert pdf_info(data, tmp_path)["Page size"].startswith(A4_LANDSCAPE)


@pytest.mark.parametrize("form", ["02", "03", "04", "05"])
def test_exception_forms_do_not_apply_to_a_plain_dossier(received, form):
    with pytest.raises(FormNotApplicable) as exc:
        printing.render_form(received, form)
    assert str(exc.value)  # a Vietnamese message the page shows


def test_unknown_form_number_is_refused(received):
    with pytest.raises(FormNotApplicable, match="Không có mẫu"):
        printing.render_form(received, "08")
