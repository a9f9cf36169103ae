"""Certification of copies (2.000815), the busiest commune counter, in the browser: a 12-page
document certified in 3 copies costs (2 × 2.000 + 10 × 1.000) × 3 = 42.000 đ (Circular
226/2016/TT-BTC). At the desk the officer counts the pages, receives and takes the fee in cash
with its receipt; online the citizen lists the document in the declaration's table, files, and
pays through the (local) payment gateway. Every page is checked with axe-core."""

import re

import pytest
import weasyprint
from django.urls import reverse
from playwright.sync_api import expect
from sandbox.payment import GOOD_CARD, OTP, start_in_thread

from congso.catalog.models import Procedure
from congso.onestop.models import Dossier
from congso.payments.models import Payment

from .a11y import assert_accessible
from .navigation import follow

pytestmark = pytest.mark.browser

CODE = "2.000815"
FEE = "42.000 đ"
RECEIVED = re.compile(r"Đã tiếp nhận hồ sơ (\S+)\.")


def test_desk_receives_counts_pages_and_takes_cash(desktop_page, site, demo, screenshot):
    page = desktop_page
    site.submit_login(page, "motcua.nghilong")
    page.goto(site.url("onestop:receive"))
    page.get_by_label("Thủ tục").select_option(CODE)
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator("[data-fee]")).to_have_text("Nhập số trang để tính phí")
    assert_accessible(page)
    page.get_by_label("Họ tên người nộp").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân").fill("040090001234")
    version = Procedure.objects.get(code=CODE).current_version()
    for doc in version.documents.filter(mandatory=True, is_declaration=False):
        page.locator(f"#id_doc_{doc.pk}_received").check()
    page.get_by_label("Số bản kết quả").fill("3")
    page.get_by_label("Số trang (phí tính theo trang)").fill("12")
    page.get_by_role("button", name="Tính lại phí").click()
    expect(page.locator("[data-fee]")).to_have_text(FEE)
    screenshot(page, "desk-fee")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    message = page.get_by_role("status")
    expect(message).to_contain_text(f"Phí, lệ phí: {FEE}")
    code = RECEIVED.search(message.inner_text()).group(1)
    expect(page.get_by_test_id("payment-label")).to_have_text("Chưa thanh toán")
    assert_accessible(page)
    page.get_by_test_id("collect-cash").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã thu tiền mặt {FEE}")
    expect(page.get_by_test_id("payment-label")).to_have_text("Đã thanh toán")
    receipt = page.get_by_role("link", name=re.compile("^Biên lai"))
    answer = page.request.get(site.base_url + receipt.get_attribute("href"))
    assert answer.ok and answer.body().startswith(b"%PDF")
    assert_accessible(page)
    screenshot(page, "desk-paid")
    payment = Payment.objects.get(dossier__code=code)
    assert payment.provider == "cash" and payment.amount == 42000 and payment.receipt_number


@pytest.fixture
def gateway(live_server, settings):
    running = start_in_thread(ipn_url=live_server.url + reverse("payments:ipn"))
    settings.CONGSO_PAYMENT_URL = running.pay_url
    yield running
    running.stop()


def continue_(page) -> None:
    follow(page, page.get_by_role("button", name="Lưu và tiếp tục"))


def test_citizen_files_online_and_pays_through_the_gateway(
    page, site, demo, gateway, screenshot, tmp_path
):
    site.submit_login(page, "congdan.an")
    page.goto(site.url("portal:start", CODE))
    follow(page, page.get_by_test_id("file-online"))
    page.get_by_label("Bạn nộp hồ sơ ở đâu?").select_option(
        value=str(demo["units"]["Xã Nghi Long"].pk)
    )
    continue_(page)
    page.get_by_label("Họ, chữ đệm, tên người yêu cầu").fill("Nguyễn Văn An")
    page.get_by_label("Thẻ căn cước / căn cước công dân").check()
    page.get_by_label("Số giấy tờ tùy thân").fill("040090001234")
    page.get_by_label("Nơi cư trú").fill("Xóm 3, xã Nghi Long")
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Giấy tờ, văn bản đề nghị chứng thực")
    page.get_by_label("Tên giấy tờ, văn bản").fill("Giấy chứng nhận quyền sử dụng đất")
    page.get_by_label("Số trang").fill("12")
    page.get_by_label("Số bản sao").fill("3")
    assert_accessible(page)
    screenshot(page, "online-table")
    continue_(page)
    page.get_by_label("Nhận trực tiếp tại Bộ phận Một cửa").check()
    continue_(page)
    sections = page.locator("section.doc-item")
    for index in range(sections.count()):
        section = sections.nth(index)
        if "(nếu có)" in section.locator("h2").inner_text():
            continue
        path = tmp_path / f"giay-to-{index}.pdf"
        path.write_bytes(weasyprint.HTML(string=f"<p>Bản chính {index}</p>").write_pdf())
        section.locator("input[type=file]").set_input_files(str(path))
        follow(page, section.get_by_role("button", name="Tải lên"))
    continue_(page)
    expect(page.locator("#f-pages")).to_have_count(0)  # pages are in the declaration already
    page.get_by_label("Nhận tại Bộ phận Một cửa").check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra thông tin trước khi nộp")
    expect(page.locator("main")).to_contain_text(FEE)
    assert_accessible(page)
    follow(page, page.get_by_test_id("submit"))
    dossier = Dossier.objects.get(procedure__code=CODE)
    assert dossier.fee_amount == 42000

    page.goto(site.url("portal:dossier", dossier.code))
    expect(page.get_by_test_id("payment-label")).to_have_text("Chưa thanh toán")
    assert_accessible(page)
    page.get_by_role("link", name="Thanh toán phí, lệ phí").click()
    expect(page.locator("[data-amount]")).to_have_text(FEE)
    page.get_by_role("button", name="Thanh toán qua cổng thanh toán").click()
    page.wait_for_url(re.compile(re.escape(gateway.base_url)))
    page.get_by_label("Số thẻ").fill(GOOD_CARD)
    page.get_by_label("Mã OTP").fill(OTP)
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.locator("[data-outcome]")).to_have_attribute("data-outcome", "paid")
    page.goto(site.url("portal:dossier", dossier.code))
    expect(page.get_by_test_id("payment-label")).to_have_text("Đã thanh toán")
    expect(page.get_by_role("link", name="Biên lai")).to_have_count(1)
    assert_accessible(page)
    screenshot(page, "online-paid")
    assert Payment.objects.get(dossier=dossier).amount == 42000
