"""The contract every payment provider passes, run against each provider's local sandbox
(VNPay 2.1.0 and the national payment platform): an order is paid and the notification settles
it (in the provider's own request and answer shapes); a notification that never arrives is
settled by asking the gateway (``querydr``); no second order starts while the first may still
succeed; refunds go through the gateway's refund API, and a refusal or an unreachable gateway
records nothing; forged notifications change nothing."""

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from congso.core.models import AuditRecord
from congso.payments import services
from congso.payments.models import Payment, Refund


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


@dataclass
class Harness:
    """Drives one provider's sandbox as the citizen's browser and the gateway would."""

    identifier: str
    running: object

    @property
    def server(self):
        return getattr(self.running, "gateway", None) or self.running.platform

    def open(self, url: str) -> str:
        """The citizen reaches the gateway's page; returns what the form needs."""
        status, _h, page = fetch(url)
        assert status == 200, page
        if self.identifier == "vnpay":
            return page.split('name="token" value="')[1].split('"')[0]
        return url

    def finish(self, handle: str, action: str = "pay") -> dict:
        """The citizen pays (or cancels); returns the signed result the gateway sends."""
        if self.identifier == "vnpay":
            from sandbox.payment import GOOD_CARD, OTP

            form = {"token": handle, "card_number": GOOD_CARD, "otp": OTP, "action": action}
            status, headers, _ = fetch(self.running.base_url + "/paymentv2/pay", form)
        else:
            status, headers, _ = fetch(handle, {"action": action, "channel": "NAPAS"})
        assert status == 302
        return dict(parse_qsl(urlsplit(headers["Location"]).query))

    def deliver(self, client, result: dict):
        """Hand the notification to our IPN view in the provider's own request shape."""
        url = reverse("payments:ipn")
        if self.identifier == "vnpay":
            return client.get(url, result)
        ref = result["orderId"]
        body = self.server.orders[ref]["result"] if ref in self.server.orders else result
        return client.post(url, json.dumps(body), content_type="application/json")

    def answer_code(self, response) -> str:
        data = response.json()
        return str(data["RspCode"] if self.identifier == "vnpay" else data["resultCode"])

    CONFIRMED = {"vnpay": "00", "paygov": "0"}
    BAD_SIGNATURE = {"vnpay": "97", "paygov": "97"}


@pytest.fixture(params=["vnpay", "paygov"])
def harness(request, settings):
    if request.param == "vnpay":
        from sandbox.payment import start_in_thread

        running = start_in_thread(ipn_url="http://127.0.0.1:9/unused/", drop_ipn=True)
        settings.CONGSO_PAYMENT_URL = running.pay_url
        settings.CONGSO_PAYMENT_API_URL = running.base_url + "/merchant_webapi/api/transaction"
        settings.CONGSO_PAYMENT_SETTLEMENT_URL = running.base_url + "/merchant_webapi/settlement"
    else:
        from sandbox.paygov import start_in_thread

        running = start_in_thread(drop_ipn=True)
        settings.CONGSO_PAYGOV_URL = running.base_url
    settings.CONGSO_PAYMENT_PROVIDER = request.param
    yield Harness(request.param, running)
    running.stop()


def start(dossier, citizen, now=None):
    url = services.start(
        dossier,
        actor=citizen,
        client_ip="127.0.0.1",
        return_url="http://t/return/",
        notify_url="http://t/ipn/",
        now=now,
    )
    return Payment.objects.get(dossier=dossier, state="pending"), url


def later(minutes):
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_a_notification_in_the_providers_shape_settles_the_order(client, harness, dossier, citizen):
    order, url = start(dossier, citizen)
    assert order.provider == harness.identifier
    result = harness.finish(harness.open(url))
    response = harness.deliver(client, result)
    assert response.status_code == 200
    assert harness.answer_code(response) == harness.CONFIRMED[harness.identifier]
    order.refresh_from_db()
    assert order.state == "paid" and order.transaction_no and order.receipt_number
    # the browser's return is read with the same provider
    payment, notice = services.read_return(result, citizen)
    assert payment == order and notice.succeeded


def test_a_settled_order_is_in_the_days_settlement_file_when_one_is_offered(
    harness, dossier, citizen
):
    from congso.payments import settlement
    from congso.payments.providers.registry import get_provider

    order, url = start(dossier, citizen)
    harness.finish(harness.open(url))
    services.query_pending(now=later(services.QUERY_AFTER_MINUTES + 1))
    order.refresh_from_db()
    day = timezone.localtime(order.paid_at, settlement.GATEWAY_ZONE).date()
    lines = get_provider().settlement(day)
    if lines is None:  # this gateway sends no daily file (the national platform today)
        return
    assert [(line.ref, line.amount) for line in lines] == [(order.ref, order.amount)]
    assert settlement.reconcile_day(day).agreed


def test_a_forged_notification_is_refused_in_the_providers_shape(client, harness, dossier, citizen):
    order, url = start(dossier, citizen)
    result = harness.finish(harness.open(url))
    forged = dict(result)
    key = "vnp_Amount" if harness.identifier == "vnpay" else "amount"
    forged[key] = "100"
    if harness.identifier == "paygov":
        response = client.post(
            reverse("payments:ipn"), json.dumps(forged), content_type="application/json"
        )
    else:
        response = client.get(reverse("payments:ipn"), forged)
    assert harness.answer_code(response) == harness.BAD_SIGNATURE[harness.identifier]
    response = client.post(reverse("payments:ipn"), "{not json", content_type="application/json")
    assert response.status_code == 200 and harness.answer_code(response) == "97"
    order.refresh_from_db()
    assert order.state == "pending"


def test_a_dropped_notification_is_settled_by_querydr(harness, dossier, citizen):
    order, url = start(dossier, citizen)
    harness.finish(harness.open(url))
    assert harness.server.wait_for_notifications(1)[0][2] == "dropped"
    assert services.query_pending(now=timezone.now()) == {}  # too early to ask
    counts = services.query_pending(now=later(services.QUERY_AFTER_MINUTES + 1))
    assert counts == {"paid": 1}
    order.refresh_from_db()
    assert order.state == "paid" and order.receipt_number and order.transaction_no
    assert AuditRecord.objects.filter(
        action="payments.pay", object_id=str(order.pk), data__via="querydr"
    ).exists()
    # asking again changes nothing
    assert services.query_pending(now=later(30)) == {}


def test_a_cancelled_order_without_notification_is_closed_by_querydr(harness, dossier, citizen):
    order, url = start(dossier, citizen)
    harness.finish(harness.open(url), action="cancel")
    assert services.query_pending(now=later(services.QUERY_AFTER_MINUTES + 1)) == {"failed": 1}
    order.refresh_from_db()
    # VNPay's querydr only says "not successful" (02); the platform says CANCELLED
    expected = {"vnpay": "failed", "paygov": "cancelled"}[harness.identifier]
    assert order.state == expected and services.payable_problem(dossier) is None


def test_no_second_order_while_the_first_may_still_succeed(harness, dossier, citizen):
    order, url = start(dossier, citizen)
    harness.open(url)  # the citizen is at the gateway, not finished
    after_expiry = order.expires_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match=order.ref):
        start(dossier, citizen, now=after_expiry)
    assert Payment.objects.filter(dossier=dossier).count() == 1
    # once the gateway's grace has passed, the order is closed and a new one starts
    past_grace = order.expires_at + dt.timedelta(minutes=services.GRACE_MINUTES + 1)
    second, _url = start(dossier, citizen, now=past_grace)
    order.refresh_from_db()
    assert order.state == "failed" and second.pk != order.pk


def test_a_paid_order_found_by_querydr_blocks_a_new_order(harness, dossier, citizen):
    order, url = start(dossier, citizen)
    harness.finish(harness.open(url))
    with pytest.raises(ValidationError, match="đã được thanh toán"):
        start(dossier, citizen, now=order.expires_at + dt.timedelta(minutes=1))
    order.refresh_from_db()
    assert order.state == "paid"


@pytest.fixture
def paid(harness, dossier, citizen):
    order, url = start(dossier, citizen)
    harness.finish(harness.open(url))
    services.settle_from_gateway(order)
    order.refresh_from_db()
    assert order.state == "paid"
    return order


@pytest.fixture
def desk(demo):
    return demo["people"]["motcua.nghilong"]


def test_a_refund_goes_through_the_gateway(harness, paid, desk):
    entry = services.refund(paid, actor=desk, amount=3000, reason="Thu thừa")
    assert entry.status == "done" and entry.gateway_transaction_no
    assert harness.server.refunds == [(paid.ref, 3000, entry.gateway_transaction_no)]
    services.refund(paid, actor=desk, amount=paid.amount - 3000, reason="Hồ sơ bị trả")
    assert [amount for _ref, amount, _no in harness.server.refunds] == [3000, paid.amount - 3000]
    paid.refresh_from_db()
    assert paid.refunded_amount == paid.amount and paid.state == "refunded"


def test_a_refund_the_gateway_refuses_records_nothing(harness, paid, desk):
    Payment.objects.filter(pk=paid.pk).update(transaction_no="999")
    paid.refresh_from_db()
    with pytest.raises(ValidationError, match="từ chối hoàn tiền"):
        services.refund(paid, actor=desk, amount=1000, reason="Thu thừa")
    paid.refresh_from_db()
    assert paid.refunded_amount == 0 and not Refund.objects.exists()
    assert harness.server.refunds == []


def test_an_unreachable_gateway_records_nothing(harness, paid, desk, settings, dossier, citizen):
    harness.running.stop()
    with pytest.raises(ValidationError, match="Không kết nối được"):
        services.refund(paid, actor=desk, amount=1000, reason="Thu thừa")
    assert not Refund.objects.exists()
    paid.refresh_from_db()
    assert paid.refunded_amount == 0
