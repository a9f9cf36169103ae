"""Paying a fee online on a phone: the citizen opens the pay page of an online dossier, goes to
the (local) payment gateway, pays with the test card, comes back, and finds the dossier paid —
marked so by the gateway's server-to-server notification — with an e-receipt to download. A
cancelled payment leaves the dossier payable again."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from sandbox.payment import GOOD_CARD, OTP, start_in_thread

from congso.catalog.models import Procedure
from congso.onestop import services as onestop
from congso.onestop.services import Intake
from congso.onestop.tests.conftest import uploaded_documents
from congso.payments import services
from congso.payments.models import Payment

pytestmark = pytest.mark.browser

FEE_PROCEDURE = "2.000635"  # Cấp bản sao trích lục hộ tịch: 8.000 đ online


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.fixture
def gateway(live_server, settings):
    running = start_in_thread(ipn_url=live_server.url + reverse("payments:ipn"))
    settings.CONGSO_PAYMENT_URL = running.pay_url
    yield running
    running.stop()


def file_online(demo):
    citizen = demo["people"]["congdan.an"]
    version = Procedure.objects.get(code=FEE_PROCEDURE).current_version()
    documents = uploaded_documents(version)
    intake = Intake(
        procedure_code=FEE_PROCEDURE,
        unit_id=demo["units"]["Xã Nghi Long"].pk,
        documents=documents,
    )
    return onestop.file_online(citizen, intake)


def go_to_gateway(page, site, gateway, dossier):
    page.goto(site.url("payments:pay", dossier.code))
    expect(page.get_by_role("heading", name="Thanh toán lệ phí")).to_be_visible()
    expect(page.locator("[data-amount]")).to_have_text("8.000 đ")
    page.get_by_role("button", name="Thanh toán qua cổng thanh toán").click()
    page.wait_for_url(re.compile(re.escape(gateway.base_url)))
    expect(page.locator("#amount")).to_have_text("8.000 VND")


def test_citizen_pays_and_downloads_the_receipt(page, site, demo, gateway, screenshot):
    dossier = file_online(demo)
    site.submit_login(page, "congdan.an")
    page.goto(site.url("payments:pay", dossier.code))
    expect(page.locator("[data-payment-status]")).to_have_text("Chưa thanh toán")
    assert fits(page)
    screenshot(page, "pay-page")
    go_to_gateway(page, site, gateway, dossier)
    page.get_by_label("Ngân hàng").select_option("NCB")
    page.get_by_label("Số thẻ").fill(GOOD_CARD)
    page.get_by_label("Tên chủ thẻ").fill("NGUYEN VAN AN")
    page.get_by_label("Mã OTP").fill(OTP)
    assert fits(page)
    screenshot(page, "gateway")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url(re.compile(re.escape(site.url("payments:return"))))
    expect(page.locator("[data-outcome]")).to_have_attribute("data-outcome", "paid")
    assert fits(page)
    screenshot(page, "paid")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.state == "paid" and services.status_for(dossier) == "paid"
    assert gateway.gateway.notifications == [(payment.ref, 1, "00")]
    link = page.get_by_role("link", name="Tải biên lai điện tử (PDF)")
    receipt = page.request.get(site.base_url + link.get_attribute("href"))
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    page.goto(site.url("payments:pay", dossier.code))
    expect(page.locator("[data-payment-status]")).to_have_text("Đã thanh toán")
    expect(page.get_by_role("button", name="Thanh toán qua cổng thanh toán")).to_have_count(0)


def test_cancelled_payment_can_be_paid_again(page, site, demo, gateway, screenshot):
    dossier = file_online(demo)
    site.submit_login(page, "congdan.an")
    go_to_gateway(page, site, gateway, dossier)
    page.get_by_role("button", name="Hủy giao dịch").click()
    page.wait_for_url(re.compile(re.escape(site.url("payments:return"))))
    expect(page.locator("[data-outcome]")).to_have_attribute("data-outcome", "cancelled")
    screenshot(page, "cancelled")
    assert services.status_for(dossier) == "cancelled"
    page.get_by_role("link", name="Thanh toán lại").click()
    expect(page.locator("[data-payment-status]")).to_have_attribute(
        "data-payment-status", "cancelled"
    )
    page.get_by_role("button", name="Thanh toán qua cổng thanh toán").click()
    page.wait_for_url(re.compile(re.escape(gateway.base_url)))
    page.get_by_label("Số thẻ").fill(GOOD_CARD)
    page.get_by_label("Mã OTP").fill(OTP)
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.locator("[data-outcome]")).to_have_attribute("data-outcome", "paid")
    states = sorted(Payment.objects.filter(dossier=dossier).values_list("state", flat=True))
    assert states == ["cancelled", "paid"]
