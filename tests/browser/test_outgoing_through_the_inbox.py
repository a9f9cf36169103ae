"""An outgoing document from draft to issue where each holder finds it only through their inbox
and its notification (issue 17): the clerk drafts and submits, the leader sees the count in the
header, opens "Việc của tôi", approves and signs; the clerk opens the bell's notification and
issues. Every step's message names the next holder; every page is axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from congso.demo import signing as signing_demo
from congso.signing.tests.support import simple_pdf

from .a11y import assert_accessible
from .navigation import follow
from .phone import remote_service, sign_on_phone

pytestmark = pytest.mark.browser

SUBJECT = "Về việc tổ chức Ngày Chuyển đổi số huyện Nghi Lộc"
CLERK, LEADER = "vanthu.nghiloc", "lanhdao.nghiloc"


def login_as(page, site, username: str) -> None:
    page.context.clear_cookies()
    site.submit_login(page, username)


def step(page, label: str, said: re.Pattern) -> None:
    follow(page, page.get_by_role("button", name=label, exact=True))
    expect(page.locator(".messages")).to_contain_text(said)
    assert_accessible(page)


def test_draft_to_issue_through_inbox_and_notification(desktop_page, site, demo, tmp_path):
    page = desktop_page
    certificates = signing_demo.load(demo)
    leader = demo["people"][LEADER].get_full_name()
    draft_pdf = tmp_path / "du-thao.pdf"
    draft_pdf.write_bytes(simple_pdf("Ke hoach Ngay Chuyen doi so"))

    login_as(page, site, CLERK)
    page.goto(site.url("accounts:workspace"))
    page.get_by_role("link", name="Soạn văn bản đi").first.click()
    page.get_by_label("Loại văn bản").select_option(label="Kế hoạch")
    page.get_by_label("Trích yếu").fill(SUBJECT)
    page.get_by_label("Tệp dự thảo (PDF hoặc DOCX)").set_input_files(str(draft_pdf))
    page.get_by_label("Chức vụ người ký").fill("Chủ tịch UBND huyện")
    page.get_by_label("Độ khẩn").select_option(label="Khẩn")
    page.get_by_text("Chọn từng nơi nhận").click()  # one unit, not a group
    page.get_by_label(demo["units"]["Xã Nghi Long"].name, exact=True).check()
    page.get_by_role("button", name="Tạo dự thảo").click()
    assert_accessible(page)
    step(page, "Trình duyệt", re.compile(f"Đã trình lãnh đạo {leader}.* duyệt"))

    login_as(page, site, LEADER)
    header = page.get_by_role("navigation", name="Điều hướng chính")
    expect(header.get_by_role("link", name=re.compile("Thông báo 1"))).to_be_visible()
    header.get_by_role("link", name=re.compile("^Việc của tôi")).click()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=SUBJECT)
    expect(row).to_contain_text("Chờ duyệt")
    expect(row).to_contain_text("Khẩn")
    row.get_by_role("link").click()
    step(page, "Duyệt", re.compile(f"Đã duyệt; chuyển lãnh đạo {leader}"))
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name=re.compile("^Việc của tôi")
    ).click()
    row = page.get_by_role("row").filter(has_text=SUBJECT)
    expect(row).to_contain_text("Chờ ký số")
    with remote_service(certificates[LEADER], "lanh.smartca") as remote:
        row.get_by_role("link").click()
        sign_on_phone(page, remote, "lanh.smartca")
        expect(page.locator(".messages")).to_contain_text(
            re.compile("Đã ký số; chuyển văn thư"), timeout=30_000
        )
    assert_accessible(page)

    login_as(page, site, CLERK)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name=re.compile("^Thông báo")
    ).click()
    assert_accessible(page)
    notice = page.get_by_role("listitem").filter(has_text="Chờ cấp số, phát hành")
    expect(notice).to_contain_text(SUBJECT)
    notice.get_by_role("button", name="Xem chi tiết").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    expect(page.locator(".doc-facts")).to_contain_text("Khẩn")
    step(page, "Cấp số và phát hành", re.compile(r"^Đã cấp số \d+/KH-UBND"))
