"""Daily settlement-file reconciliation against the sandbox gateway's file of the day: a paid
order in the file matches; a changed amount, a payment only the gateway holds and one only we
hold are each reported; a forged file request is refused; the finance officer sees the report."""

import datetime as dt

import pytest
from django.urls import reverse

from congso.core.models import AuditRecord
from congso.payments import settlement
from congso.payments.providers.base import GatewayError
from congso.payments.providers.contrib.vnpay.plugin import VNPay

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_url(settings, sandbox_gateway):
    settings.CONGSO_PAYMENT_SETTLEMENT_URL = (
        sandbox_gateway.base_url + "/merchant_webapi/settlement"
    )
    return settings.CONGSO_PAYMENT_SETTLEMENT_URL


@pytest.fixture
def paid(client, dossier, citizen, start_payment, gateway_says, file_url):
    order = start_payment(dossier, citizen)
    client.get(reverse("payments:ipn"), gateway_says(order))
    order.refresh_from_db()
    assert order.state == "paid"
    return order


def today():
    return dt.datetime.now(settlement.GATEWAY_ZONE).date()


def test_a_paid_order_in_the_file_matches(paid):
    report = settlement.reconcile_day(today())
    assert [p.ref for p, _line in report.matched] == [paid.ref] and report.agreed


def test_every_kind_of_difference_is_reported(paid, sandbox_gateway):
    kept = sandbox_gateway.gateway.transactions
    kept[paid.ref]["result"]["vnp_Amount"] = str((paid.amount + 1000) * 100)
    stranger = {**kept[paid.ref]["result"], "vnp_TxnRef": "TT-NOT-OURS", "vnp_Amount": "500000"}
    kept["TT-NOT-OURS"] = {"order": {}, "result": stranger}
    report = settlement.reconcile_day(today())
    assert [p.ref for p, _line in report.amount_mismatch] == [paid.ref]
    assert [(line.ref, line.amount) for line in report.missing_here] == [("TT-NOT-OURS", 5000)]
    del kept[paid.ref]
    report = settlement.reconcile_day(today())
    assert [p.ref for p in report.missing_there] == [paid.ref] and not report.agreed


def test_the_morning_job_audits_yesterday(paid):
    counts = settlement.reconcile_yesterday(today=today() + dt.timedelta(days=1))
    assert counts == {"matched": 1, "amount_mismatch": 0, "missing_here": 0, "missing_there": 0}
    assert AuditRecord.objects.filter(action="payments.settlement").exists()


def test_a_request_signed_with_another_secret_gets_no_file(file_url, settings):
    provider = VNPay("", settings.CONGSO_PAYMENT_TMN_CODE, "sai", settlement_url=file_url)
    with pytest.raises(GatewayError):
        provider.settlement(today())


def test_the_finance_officer_sees_the_report(paid, client, demo):
    client.force_login(demo["people"]["motcua.nghilong"])
    page = client.get(reverse("payments:settlement"), {"day": today().isoformat()})
    assert page.status_code == 200 and paid.ref in page.content.decode()
    assert client.get(reverse("payments:settlement"), {"day": "x"}).status_code == 400
