"""The payments API: a dossier's orders (owner and officials), starting a payment (owner)."""

from urllib.parse import parse_qsl, urlsplit

from django.urls import reverse

from congso.accounts.models import Role
from congso.accounts.tests.factories import CitizenFactory


def url(dossier):
    return reverse("api-dossier-payments", args=[dossier.code])


def test_owner_starts_and_lists(client, citizen, dossier, settings):
    client.force_login(citizen)
    assert client.get(url(dossier)).json() == {"status": "unpaid", "amount": 8000, "payments": []}
    started = client.post(url(dossier))
    assert started.status_code == 201
    body = started.json()
    assert body["redirect_url"].startswith(settings.CONGSO_PAYMENT_URL)
    assert dict(parse_qsl(urlsplit(body["redirect_url"]).query))["vnp_TxnRef"] == body["ref"]
    listed = client.get(url(dossier)).json()
    assert listed["status"] == "pending" and listed["payments"][0]["ref"] == body["ref"]
    assert listed["payments"][0]["receipt_url"] is None


def test_paid_order_has_a_receipt_url(client, citizen, dossier, start_payment, gateway_says):
    order = start_payment(dossier, citizen)
    client.get(reverse("payments:ipn"), gateway_says(order))
    client.force_login(citizen)
    row = client.get(url(dossier)).json()["payments"][0]
    assert row["state"] == "paid" and row["receipt_url"] == reverse(
        "payments:receipt", args=[order.ref]
    )
    refused = client.post(url(dossier))
    assert refused.status_code == 400 and "đã được thanh toán" in refused.json()["error"]["message"]


def test_officials_see_but_do_not_start(client, demo, dossier):
    client.force_login(demo["people"]["motcua.nghilong"])
    assert client.get(url(dossier)).status_code == 200
    assert client.post(url(dossier)).status_code == 404


def test_strangers_get_404(client, demo, dossier, official_at):
    for user in (CitizenFactory(), official_at(demo["units"]["Xã Nghi Mỹ"], Role.DESK_OFFICER)):
        client.force_login(user)
        assert client.get(url(dossier)).status_code == 404
        assert client.post(url(dossier)).status_code == 404


def test_anonymous_is_refused(client, dossier):
    assert client.get(url(dossier)).status_code in (401, 403)
