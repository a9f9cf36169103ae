"""A citizen on a phone: finds birth registration by a search without diacritics, files it online
with uploads, the desk and the commune process it, and the citizen downloads the result and finds
it in the personal data store. Every portal page is checked with axe-core and must fit 360 px."""

import io

import pytest
import weasyprint
from playwright.sync_api import expect

from congso.core.uploads import check_file
from congso.onestop import services as onestop
from congso.onestop.models import Dossier
from congso.portal.models import StoredDocument

from .a11y import assert_accessible
from .navigation import follow

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def check(page) -> None:
    assert_accessible(page)
    assert fits(page), page.url


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 300), (240, 240, 240)).save(out, format="PNG")
    return out.getvalue()


def continue_(page) -> None:
    follow(page, page.get_by_role("button", name="Lưu và tiếp tục"))


def fill_declaration(page, screenshot) -> None:
    continue_(page)  # nothing filled: the error summary takes the focus
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nhập họ, chữ đệm, tên người yêu cầu.")
    check(page)
    screenshot(page, "form-errors")
    summary.get_by_role("link", name="Nhập nơi cư trú.").click()
    expect(page.get_by_label("Nơi cư trú")).to_be_focused()
    page.get_by_label("Họ, chữ đệm, tên người yêu cầu").fill("Nguyễn Văn An")
    page.get_by_label("Thẻ căn cước / căn cước công dân").check()
    page.get_by_label("Số giấy tờ tùy thân").fill("040090001234")
    page.get_by_label("Nơi cư trú").fill("Xóm 3, xã Nghi Long")
    continue_(page)
    page.get_by_label("Quan hệ với người được khai sinh").fill("Cha")
    continue_(page)
    page.get_by_label("Họ, chữ đệm, tên").fill("Nguyễn Minh Khang")
    page.get_by_label("Nam", exact=True).check()
    page.get_by_label("Ngày, tháng, năm sinh", exact=True).fill("2026-11-20")
    page.get_by_label("Nơi sinh").fill("Bệnh viện đa khoa huyện Nghi Lộc")
    check(page)
    screenshot(page, "form-child")
    continue_(page)
    for _section in ("mother", "father"):  # their order depends on how the schema is stored
        if page.get_by_role("heading", level=1).inner_text() == "Thông tin người mẹ":
            page.get_by_label("Họ, chữ đệm, tên").fill("Lê Thị Hoa")
        continue_(page)  # the father's section is optional and left blank
    page.get_by_label("Tôi cam đoan").check()
    continue_(page)


def upload_documents(page, tmp_path, screenshot) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Giấy tờ kèm theo")
    check(page)
    sections = page.locator("section.doc-item")
    for index in range(sections.count()):
        section = sections.nth(index)
        if "(nếu có)" in section.locator("h2").inner_text():
            continue
        if index == 0:
            path = tmp_path / "giay-chung-sinh.png"
            path.write_bytes(png_bytes())
        else:
            path = tmp_path / f"giay-to-{index}.pdf"
            path.write_bytes(weasyprint.HTML(string=f"<p>Giấy tờ {index}</p>").write_pdf())
        section.locator("input[type=file]").set_input_files(str(path))
        follow(page, section.get_by_role("button", name="Tải lên"))
        expect(page.locator("section.doc-item").nth(index)).to_contain_text("✓")
    screenshot(page, "documents")
    continue_(page)


def process_at_the_desk(demo, code: str) -> Dossier:
    people = demo["people"]
    desk, clerk, leader = (
        people["motcua.nghilong"],
        people["congchuc.nghilong"],
        people["lanhdao.nghilong"],
    )
    dossier = Dossier.objects.get(code=code)
    dossier = onestop.transition(dossier, "accept", actor=desk)
    dossier = onestop.transition(dossier, "start", actor=desk)
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = weasyprint.HTML(string="<h1>Giấy khai sinh</h1><p>Nguyễn Minh Khang</p>").write_pdf()
    onestop.attach_result(
        dossier,
        actor=clerk,
        title="Giấy khai sinh",
        file=check_file(SimpleUploadedFile("k.pdf", pdf)),
    )
    dossier.refresh_from_db()
    dossier = onestop.transition(dossier, "forward", actor=clerk)
    dossier = onestop.transition(dossier, "approve", actor=leader)
    return onestop.transition(dossier, "return_result", actor=desk)


def test_birth_registration_filed_online_and_result_received(
    page, site, demo, screenshot, tmp_path
):
    page.goto(site.url("portal:home"))
    check(page)
    page.get_by_label("Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    follow(page, page.get_by_role("link", name="Đăng ký khai sinh", exact=True).first)
    screenshot(page, "procedure")

    site.submit_login(page, "congdan.an")
    page.goto(site.url("portal:start", "1.001193"))
    check(page)
    screenshot(page, "start")
    follow(page, page.get_by_test_id("file-online"))

    commune = demo["units"]["Xã Nghi Long"]
    page.get_by_label("Bạn nộp hồ sơ ở đâu?").select_option(value=str(commune.pk))
    check(page)
    continue_(page)
    fill_declaration(page, screenshot)
    upload_documents(page, tmp_path, screenshot)
    page.get_by_label("Nhận trực tuyến").check()
    check(page)
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra thông tin trước khi nộp")
    expect(page.locator("main")).to_contain_text("Nguyễn Minh Khang")
    check(page)
    screenshot(page, "check-answers")
    follow(page, page.get_by_test_id("submit"))
    code = page.get_by_test_id("dossier-code").inner_text()
    check(page)
    screenshot(page, "filed")
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == "new" and dossier.channel == "online"
    assert dossier.documents.filter(content_type="application/pdf").count() == 2

    process_at_the_desk(demo, code)

    follow(page, page.get_by_role("link", name="Hồ sơ của tôi").first)
    check(page)
    screenshot(page, "my-dossiers")
    follow(page, page.get_by_role("link", name=code, exact=True))
    expect(page.get_by_test_id("state")).to_have_text("Đã trả kết quả")
    check(page)
    screenshot(page, "dossier")
    with page.expect_download() as download:
        page.get_by_test_id("download-result").click()
    saved = tmp_path / "ket-qua.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    follow(page, page.get_by_role("link", name="Kho dữ liệu cá nhân").first)
    expect(page.locator("main")).to_contain_text("Giấy khai sinh")
    expect(page.locator("main")).to_contain_text(code)
    check(page)
    screenshot(page, "datastore")
    assert StoredDocument.objects.filter(kind="result", source_code=code).count() == 1
