"""An outgoing document in the browser, on an office computer: the specialist drafts a decision
with a PDF, the district leader approves and signs it, the clerk issues it (number, seal,
dispatch); the Nghi Long clerk finds it at once in the incoming register; the verification page
says both signatures are trusted."""

import re

import pytest
from playwright.sync_api import expect

from congso.demo import signing as signing_demo
from congso.documents.models import Document, VersionKind
from congso.signing.tests.support import simple_pdf

from .navigation import follow
from .phone import remote_service, sign_on_phone

pytestmark = pytest.mark.browser

SUBJECT = "Về việc thành lập Tổ công nghệ số cộng đồng thôn Xuân Hòa"


def login_as(page, site, username: str) -> None:
    page.context.clear_cookies()
    site.submit_login(page, username)


def act(page, label: str) -> None:
    follow(page, page.get_by_role("button", name=label, exact=True))
    expect(page.locator(".messages")).to_contain_text(re.compile(r"^Đã "))


def test_draft_to_commune_register_and_verified(desktop_page, site, demo, screenshot, tmp_path):
    page = desktop_page
    certificates = signing_demo.load(demo)
    commune = demo["units"]["Xã Nghi Long"]
    draft_pdf = tmp_path / "du-thao.pdf"
    draft_pdf.write_bytes(simple_pdf("Quyet dinh thanh lap to cong nghe so"))

    login_as(page, site, "chuyenvien.tuphap")
    page.goto(site.url("documents:create"))
    page.get_by_label("Loại văn bản").select_option(label="Quyết định")
    page.get_by_label("Trích yếu").fill(SUBJECT)
    page.get_by_label("Tệp dự thảo (PDF hoặc DOCX)").set_input_files(str(draft_pdf))
    page.get_by_label("Chức vụ người ký").fill("Chủ tịch UBND huyện")
    page.get_by_text("Chọn từng nơi nhận").click()  # one unit, not a group
    page.get_by_label(commune.name, exact=True).check()
    screenshot(page, "draft-form")
    page.get_by_role("button", name="Tạo dự thảo").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo dự thảo văn bản.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    detail_url = page.url
    act(page, "Trình duyệt")

    login_as(page, site, "lanhdao.nghiloc")
    page.goto(detail_url)
    act(page, "Duyệt")
    with remote_service(certificates["lanhdao.nghiloc"], "lanh.smartca") as remote:
        page.reload()  # the signing panel offers the way to sign chosen now
        sign_on_phone(page, remote, "lanh.smartca")
        expect(page.locator(".messages")).to_contain_text("Đã ký số", timeout=30_000)
    expect(page.get_by_text("Đã ký số cá nhân").first).to_be_visible()

    login_as(page, site, "vanthu.nghiloc")
    page.goto(detail_url)
    act(page, "Cấp số và phát hành")
    expect(page.get_by_role("heading", level=1)).to_contain_text("01/QĐ-UBND")
    expect(page.get_by_text("Số: 01/QĐ-UBND")).to_be_visible()
    screenshot(page, "issued")

    document = Document.objects.get(subject=SUBJECT, direction="outgoing")
    issued = document.versions.get(kind=VersionKind.ISSUED)
    response = page.request.get(site.url("documents:file", document.pk, issued.number))
    assert response.ok
    signed = tmp_path / "ban-phat-hanh.pdf"
    signed.write_bytes(response.body())

    login_as(page, site, "vanthu.nghilong")
    page.goto(site.url("documents:registers"))
    register = page.get_by_role("region", name="SỔ ĐĂNG KÝ VĂN BẢN ĐẾN")
    row = register.get_by_role("row").filter(has_text="01/QĐ-UBND")
    expect(row).to_contain_text(SUBJECT)
    expect(row).to_contain_text(demo["units"]["district"].name)
    screenshot(page, "commune-incoming-register")
    row.get_by_role("cell").nth(1).wait_for()

    page.goto(site.url("signing:verify"))
    page.get_by_label("Tệp PDF đã ký").set_input_files(str(signed))
    page.get_by_role("button", name="Kiểm tra").click()
    captions = page.locator("caption")
    expect(captions).to_have_count(2)
    trusted = page.get_by_role("row", name="Chứng thư số tin cậy")
    expect(trusted.nth(0)).to_contain_text("Có")
    expect(trusted.nth(1)).to_contain_text("Có")
    screenshot(page, "verified")
