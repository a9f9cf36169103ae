"""A district leader on the phone (360×740) reads an outgoing document's text before acting on it
(issue 17, item 7): the document reaches them through "Việc của tôi", its pages are shown as
images that fit the screen (no sideways scroll) and open full size to zoom, and the leader
approves and then signs it through the CA's remote-signing service, all on the phone. Every page
is axe-clean at this width."""

import re

import pytest
from playwright.sync_api import expect

from congso.demo import signing as signing_demo
from congso.documents import services as documents

from .a11y import assert_accessible
from .phone import remote_service, sign_on_phone

pytestmark = pytest.mark.browser

SUBJECT = "Về việc tổ chức tuần lễ cài đặt VNeID mức độ 2"
BODY = (
    "Thực hiện Kế hoạch chuyển đổi số năm 2026 của huyện, Ủy ban nhân dân huyện yêu cầu "
    "Ủy ban nhân dân các xã, thị trấn tổ chức tuần lễ hướng dẫn người dân cài đặt và kích hoạt "
    "tài khoản định danh điện tử mức độ 2.\n"
    "Thời gian: từ ngày 08/12/2026 đến ngày 14/12/2026."
)
CLERK, LEADER = "vanthu.nghiloc", "lanhdao.nghiloc"


def fits(page) -> None:
    """Nothing on the page scrolls sideways at 360 px."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_leader_reads_approves_and_signs_on_the_phone(page, site, demo):
    people, units = demo["people"], demo["units"]
    certificates = signing_demo.load(demo)
    clerk = people[CLERK]
    draft = documents.Draft(
        unit=units["district"],
        doc_type="CV",
        subject=SUBJECT,
        body=BODY,
        signer_position="Chủ tịch UBND huyện",
        recipient_units=[units["Xã Nghi Long"]],
    )
    document = documents.create_outgoing(draft, actor=clerk)
    documents.transition(document, "submit", actor=clerk)

    site.submit_login(page, LEADER)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name=re.compile("^Việc của tôi")
    ).click()
    row = page.get_by_role("row").filter(has_text=SUBJECT)
    expect(row).to_contain_text("Chờ duyệt")
    row.get_by_role("link").click()
    text = page.get_by_role("region", name="Nội dung văn bản")
    first = text.locator("img[data-text-page='1']")
    expect(first).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )
    shown, natural = first.evaluate("img => [img.clientWidth, img.naturalWidth]")
    assert shown <= 360 < 2 * 360 < natural  # fits the screen; full size is sharp when zoomed
    fits(page)
    assert_accessible(page)
    link = text.get_by_role("link", name=re.compile("Trang 1"))
    full = page.request.get(site.base_url + link.get_attribute("href"))
    assert full.ok and full.headers["content-type"] == "image/png"

    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã duyệt")
    fits(page)
    with remote_service(certificates[LEADER], "lanh.smartca") as remote:
        sign_on_phone(page, remote, "lanh.smartca")
        expect(page.locator(".messages")).to_contain_text(
            re.compile("Đã ký số; chuyển văn thư"), timeout=30_000
        )
    expect(page.get_by_role("region", name="Nội dung văn bản")).to_contain_text("Đã ký số cá nhân")
    fits(page)
    assert_accessible(page)
