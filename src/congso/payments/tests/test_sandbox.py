"""The local gateway (``sandbox.payment``) against the real app over HTTP: it refuses requests
that are not signed with the merchant's secret or carry a bad amount, and after payment it
notifies the IPN (which marks the order paid) and sends the browser back with signed
parameters. The deploy check refuses the sandbox secret in production."""

import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from sandbox.payment import DEFAULT_SECRET, GOOD_CARD, OTP, POOR_CARD, start_in_thread

from congso.payments import services
from congso.payments.checks import gateway_secret_is_real
from congso.payments.models import Payment
from congso.payments.providers.contrib.vnpay.plugin import SANDBOX_SECRET

pytestmark = pytest.mark.slow


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with OPENER.open(url, data=body, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def gateway(live_server, settings):
    running = start_in_thread(ipn_url=live_server.url + reverse("payments:ipn"), ipn_backoff=0.05)
    settings.CONGSO_PAYMENT_URL = running.pay_url
    settings.CONGSO_PAYMENT_API_URL = running.base_url + "/merchant_webapi/api/transaction"
    yield running
    running.stop()


@pytest.fixture
def live_dossier(transactional_db, citizen, file_dossier):
    from congso.demo.loaders import load_all

    load_all()
    return file_dossier(citizen)


def open_order(dossier, citizen):
    url = services.start(
        dossier, actor=citizen, client_ip="127.0.0.1", return_url="http://t/return/"
    )
    status, _headers, page = fetch(url)
    assert status == 200, page
    token = page.split('name="token" value="')[1].split('"')[0]
    return Payment.objects.get(dossier=dossier, state="pending"), token


def test_pay_notifies_ipn_and_redirects_signed(gateway, live_dossier, citizen, settings):
    order, token = open_order(live_dossier, citizen)
    status, headers, _ = fetch(
        gateway.base_url + "/paymentv2/pay",
        {"token": token, "bank": "NCB", "card_number": GOOD_CARD, "otp": OTP, "action": "pay"},
    )
    assert status == 302
    location = headers["Location"]
    assert location.startswith("http://t/return/?")
    params = dict(parse_qsl(urlsplit(location).query))
    notice = services.get_provider().verify(params)  # signed with the shared secret
    assert notice.ref == order.ref and notice.succeeded and notice.amount == order.amount
    order.refresh_from_db()
    assert order.state == "paid" and order.transaction_no == params["vnp_TransactionNo"]
    assert gateway.gateway.notifications == [(order.ref, 1, "00")]


def test_poor_card_fails_and_cancel_cancels(gateway, live_dossier, citizen):
    order, token = open_order(live_dossier, citizen)
    fetch(gateway.base_url + "/paymentv2/pay", {"token": token, "card_number": POOR_CARD})
    order.refresh_from_db()
    assert order.state == "failed" and order.response_code == "51"
    second, token = open_order(live_dossier, citizen)
    fetch(gateway.base_url + "/paymentv2/pay", {"token": token, "action": "cancel"})
    second.refresh_from_db()
    assert second.state == "cancelled" and services.status_for(live_dossier) == "cancelled"


def test_unknown_card_stays_on_the_page(gateway, live_dossier, citizen):
    order, token = open_order(live_dossier, citizen)
    status, _h, page = fetch(
        gateway.base_url + "/paymentv2/pay", {"token": token, "card_number": "1234"}
    )
    assert status == 400 and "Số thẻ không hợp lệ" in page
    order.refresh_from_db()
    assert order.state == "pending"


def test_gateway_refuses_forged_or_wrong_requests(gateway, live_dossier, citizen):
    url = services.start(live_dossier, actor=citizen, client_ip="127.0.0.1", return_url="http://t/")
    status, _h, page = fetch(url.replace("vnp_Amount=800000", "vnp_Amount=100"))
    assert status == 400 and "Sai chữ ký" in page
    status, _h, page = fetch(url.replace("vnp_TmnCode=CONGSO01", "vnp_TmnCode=OTHER001"))
    assert status == 400 and "vnp_TmnCode" in page
    assert fetch(url)[0] == 200
    status, _h, page = fetch(url)  # the same order reference twice
    assert status == 400 and "đã được sử dụng" in page


def test_gateway_retries_until_the_merchant_answers(live_server, live_dossier, citizen, settings):
    """The IPN URL is wrong at first (404 → no RspCode): the gateway keeps the order unsettled
    and retries in the background; here it gives up after its attempts."""
    running = start_in_thread(
        ipn_url=live_server.url + "/nowhere/", ipn_attempts=3, ipn_backoff=0.01
    )
    settings.CONGSO_PAYMENT_URL = running.pay_url
    try:
        order, token = open_order(live_dossier, citizen)
        fetch(
            running.base_url + "/paymentv2/pay",
            {"token": token, "card_number": GOOD_CARD, "otp": OTP},
        )
        calls = running.gateway.wait_for_notifications(3)
        assert [attempt for _ref, attempt, _code in calls] == [1, 2, 3]
        order.refresh_from_db()
        assert order.state == "pending"
    finally:
        running.stop()


def test_sandbox_and_deploy_check_share_the_sandbox_secret(settings):
    assert DEFAULT_SECRET == SANDBOX_SECRET == settings.CONGSO_PAYMENT_HASH_SECRET
    settings.PRODUCTION = True
    assert [e.id for e in gateway_secret_is_real(None)] == ["congso.payments.E001"]
    settings.CONGSO_PAYMENT_HASH_SECRET = "a-real-secret-from-the-bank"
    assert gateway_secret_is_real(None) == []
    settings.PRODUCTION = False
    settings.CONGSO_PAYMENT_HASH_SECRET = SANDBOX_SECRET
    assert gateway_secret_is_real(None) == []
