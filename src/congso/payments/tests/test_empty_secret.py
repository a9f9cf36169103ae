"""A gateway without its hash secret refuses every notification: a checksum computed with an
empty key proves nothing (anyone can compute it), so the order stays pending and the refusal
is audited."""

from django.urls import reverse

from congso.core.models import AuditRecord
from congso.payments.providers.base import InvalidSignature
from congso.payments.providers.contrib.vnpay.plugin import VNPay


def test_notification_signed_with_the_empty_key_is_refused(
    client, settings, dossier, citizen, start_payment, gateway_says
):
    order = start_payment(dossier, citizen)
    settings.CONGSO_PAYMENT_HASH_SECRET = ""
    response = client.get(reverse("payments:ipn"), gateway_says(order))
    assert response.json() == {"RspCode": "97", "Message": "Invalid signature"}
    order.refresh_from_db()
    assert order.state == "pending" and not order.receipt_number
    assert AuditRecord.objects.filter(
        action="payments.ipn_rejected", data__reason="invalid_signature"
    ).exists()


def test_provider_without_secret_verifies_nothing():
    params = {"vnp_TxnRef": "TT1", "vnp_Amount": "100"}
    from congso.payments.providers.contrib.vnpay.plugin import sign

    params["vnp_SecureHash"] = sign(params, "")
    try:
        VNPay("http://gw", "CONGSO01", "").verify(params)
    except InvalidSignature:
        return
    raise AssertionError("a notification was accepted with an empty hash secret")
