"""The gateway's notification settles an order once: a good call marks it paid; replays, bad
signatures, wrong amounts and unknown orders change nothing and are audited; a failed or
cancelled payment leaves the dossier payable again with a new order."""

import pytest
from django.urls import reverse

from congso.core.models import AuditRecord
from congso.payments import services
from congso.payments.models import Payment

from .conftest import FREE_PROCEDURE


def call(client, params):
    response = client.get(reverse("payments:ipn"), params)
    assert response.status_code == 200
    return response.json()


def rejected(reason):
    return AuditRecord.objects.filter(action="payments.ipn_rejected", data__reason=reason).count()


@pytest.fixture
def order(dossier, citizen, start_payment):
    return start_payment(dossier, citizen)


def test_start_creates_a_pending_order_for_the_fee(dossier, citizen, order):
    assert order.amount == dossier.fee_amount > 0
    assert order.state == "pending" and order.unit_id == dossier.receiving_unit_id
    assert services.status_for(dossier) == "pending"
    assert AuditRecord.objects.filter(action="payments.start", object_id=str(order.pk)).exists()


def test_good_notification_marks_paid(client, dossier, order, gateway_says):
    answer = call(client, gateway_says(order))
    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    order.refresh_from_db()
    assert order.state == "paid" and order.transaction_no and order.bank_code == "NCB"
    assert order.paid_at is not None and order.receipt_number.endswith(f"/{order.paid_at.year}")
    assert services.status_for(dossier) == "paid"
    assert AuditRecord.objects.filter(action="payments.pay", object_id=str(order.pk)).exists()


def test_replay_is_answered_02_and_changes_nothing(client, order, gateway_says):
    params = gateway_says(order)
    call(client, params)
    order.refresh_from_db()
    before = (order.state, order.transaction_no, order.receipt_number, order.settled_at)
    assert call(client, params)["RspCode"] == "02"
    # even a later "failed" statement about a paid order is ignored
    assert call(client, gateway_says(order, "51"))["RspCode"] == "02"
    order.refresh_from_db()
    assert (order.state, order.transaction_no, order.receipt_number, order.settled_at) == before
    assert rejected("already_confirmed") == 2


def test_bad_signature_changes_nothing(client, order, gateway_says):
    answer = call(client, gateway_says(order, secret="not-our-secret"))
    assert answer["RspCode"] == "97"
    order.refresh_from_db()
    assert order.state == "pending"
    assert rejected("invalid_signature") == 1


def test_tampered_amount_breaks_the_signature(client, order, gateway_says):
    params = gateway_says(order) | {"vnp_Amount": "100"}
    assert call(client, params)["RspCode"] == "97"


def test_wrong_amount_changes_nothing(client, order, gateway_says):
    answer = call(client, gateway_says(order, vnp_Amount=str((order.amount + 1000) * 100)))
    assert answer["RspCode"] == "04"
    order.refresh_from_db()
    assert order.state == "pending"
    assert rejected("invalid_amount") == 1


def test_unknown_order(client, order, gateway_says):
    assert call(client, gateway_says(order, vnp_TxnRef="TT2026999999"))["RspCode"] == "01"
    assert rejected("not_found") == 1
    order.refresh_from_db()
    assert order.state == "pending"


def test_other_merchant_code_is_refused(client, order, gateway_says):
    assert call(client, gateway_says(order, vnp_TmnCode="OTHER001"))["RspCode"] == "99"
    order.refresh_from_db()
    assert order.state == "pending"


def test_unsigned_junk_gets_97_not_500(client, db):
    assert call(client, {"vnp_TxnRef": "x", "vnp_Amount": "abc"})["RspCode"] == "97"
    assert call(client, {})["RspCode"] == "97"


def test_failed_payment_leaves_the_dossier_payable_again(
    client, dossier, citizen, order, gateway_says, start_payment
):
    assert call(client, gateway_says(order, "51"))["RspCode"] == "00"
    order.refresh_from_db()
    assert order.state == "failed" and not order.receipt_number
    assert services.status_for(dossier) == "unpaid"
    assert services.payable_problem(dossier) is None
    second = start_payment(dossier, citizen)
    assert second.ref != order.ref and second.state == "pending"
    assert call(client, gateway_says(second))["RspCode"] == "00"
    assert services.status_for(dossier) == "paid"


def test_cancelled_payment_can_be_paid_again(
    client, dossier, citizen, order, gateway_says, start_payment
):
    call(client, gateway_says(order, "24"))
    order.refresh_from_db()
    assert order.state == "cancelled"
    assert services.status_for(dossier) == "cancelled"
    assert start_payment(dossier, citizen).state == "pending"


def test_a_paid_dossier_cannot_be_paid_twice(client, dossier, citizen, order, gateway_says):
    call(client, gateway_says(order))
    with pytest.raises(Exception, match="đã được thanh toán"):
        services.start(dossier, actor=citizen, client_ip="127.0.0.1", return_url="http://t/")
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_no_fee_means_status_none(citizen, file_dossier):
    free = file_dossier(citizen, code=FREE_PROCEDURE)
    assert free.fee_amount == 0
    assert services.status_for(free) == "none"
    with pytest.raises(Exception, match="không thu phí"):
        services.start(free, actor=citizen, client_ip="127.0.0.1", return_url="http://t/")


def test_only_the_applicant_may_start(dossier, demo):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.start(
            dossier,
            actor=demo["people"]["motcua.nghilong"],
            client_ip="1.2.3.4",
            return_url="http://t/",
        )
