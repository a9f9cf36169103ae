"""The citizen's pages: pay (amount, procedure, button to the gateway), return (outcome from the
IPN, not from the browser), receipt (PDF text via pdftotext); another citizen gets 404."""

import subprocess
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from congso.accounts.models import Role
from congso.accounts.tests.factories import CitizenFactory
from congso.payments.models import Payment


def pdf_text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def test_pay_page_shows_amount_and_procedure(client, citizen, dossier):
    client.force_login(citizen)
    page = client.get(reverse("payments:pay", args=[dossier.code])).content.decode()
    assert "Thanh toán lệ phí" in page
    assert "8.000 đ" in page and dossier.procedure.name in page
    assert 'data-payment-status="unpaid"' in page


def test_pay_button_redirects_to_the_gateway(client, citizen, dossier, settings):
    client.force_login(citizen)
    response = client.post(reverse("payments:pay", args=[dossier.code]))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(settings.CONGSO_PAYMENT_URL + "?")
    params = dict(parse_qsl(urlsplit(location).query))
    payment = Payment.objects.get(dossier=dossier)
    assert params["vnp_TxnRef"] == payment.ref
    assert params["vnp_Amount"] == str(dossier.fee_amount * 100)
    assert params["vnp_ReturnUrl"] == "http://testserver" + reverse("payments:return")


def test_another_citizen_gets_404(client, dossier, citizen, start_payment, gateway_says):
    order = start_payment(dossier, citizen)
    client.get(reverse("payments:ipn"), gateway_says(order))
    client.force_login(CitizenFactory())
    assert client.get(reverse("payments:pay", args=[dossier.code])).status_code == 404
    assert client.post(reverse("payments:pay", args=[dossier.code])).status_code == 404
    assert client.get(reverse("payments:receipt", args=[order.ref])).status_code == 404
    assert client.get(reverse("payments:receipt", args=[order.pk])).status_code == 404
    assert client.get(reverse("payments:return"), gateway_says(order)).status_code == 404
    assert not Payment.objects.exclude(pk=order.pk).exists()


def test_anonymous_is_sent_to_login(client, dossier):
    response = client.get(reverse("payments:pay", args=[dossier.code]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_return_shows_what_the_ipn_decided(client, citizen, dossier, start_payment, gateway_says):
    order = start_payment(dossier, citizen)
    client.force_login(citizen)
    # the browser claims success but the gateway has not notified: still pending, nothing paid
    page = client.get(reverse("payments:return"), gateway_says(order)).content.decode()
    assert 'data-outcome="pending"' in page
    order.refresh_from_db()
    assert order.state == "pending"
    client.get(reverse("payments:ipn"), gateway_says(order))
    page = client.get(reverse("payments:return"), gateway_says(order)).content.decode()
    assert 'data-outcome="paid"' in page and reverse("payments:receipt", args=[order.ref]) in page


def test_return_after_cancel_offers_to_pay_again(
    client, citizen, dossier, start_payment, gateway_says
):
    order = start_payment(dossier, citizen)
    client.get(reverse("payments:ipn"), gateway_says(order, "24"))
    client.force_login(citizen)
    page = client.get(reverse("payments:return"), gateway_says(order, "24")).content.decode()
    assert 'data-outcome="cancelled"' in page
    assert reverse("payments:pay", args=[dossier.code]) in page


def test_receipt_pdf(client, citizen, dossier, start_payment, gateway_says):
    order = start_payment(dossier, citizen)
    client.force_login(citizen)
    assert client.get(reverse("payments:receipt", args=[order.ref])).status_code == 404  # unpaid
    client.get(reverse("payments:ipn"), gateway_says(order))
    order.refresh_from_db()
    response = client.get(reverse("payments:receipt", args=[order.ref]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ" in text
    for expected in (order.receipt_number, dossier.code, "8.000 đ", order.transaction_no, "VNPAY"):
        assert expected in text
    assert "UBND XÃ NGHI LONG" in text


@pytest.mark.parametrize("who", ["motcua.nghilong", "lanhdao.nghilong"])
def test_officials_of_the_unit_get_the_receipt(
    client, demo, citizen, dossier, start_payment, gateway_says, who
):
    order = start_payment(dossier, citizen)
    client.get(reverse("payments:ipn"), gateway_says(order))
    client.force_login(demo["people"][who])
    assert client.get(reverse("payments:receipt", args=[order.pk])).status_code == 200


def test_official_of_another_commune_gets_404(
    client, demo, citizen, dossier, start_payment, gateway_says, official_at
):
    order = start_payment(dossier, citizen)
    client.get(reverse("payments:ipn"), gateway_says(order))
    client.force_login(official_at(demo["units"]["Xã Nghi Mỹ"], Role.DESK_OFFICER))
    assert client.get(reverse("payments:receipt", args=[order.pk])).status_code == 404


def test_desk_dossier_page_shows_the_payment(
    client, demo, citizen, dossier, start_payment, gateway_says
):
    order = start_payment(dossier, citizen)
    client.get(reverse("payments:ipn"), gateway_says(order))
    client.force_login(demo["people"]["motcua.nghilong"])
    page = client.get(reverse("onestop:dossier", args=[dossier.code])).content.decode()
    assert 'data-payment-status="paid"' in page
    assert reverse("payments:refund", args=[order.pk]) in page
