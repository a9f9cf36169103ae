"""Refunds: recorded by an official of the unit, with a reason, never more than was paid; each
one audited. Unpaid orders cannot be refunded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congso.accounts.models import Role
from congso.core.models import AuditRecord
from congso.payments import services


@pytest.fixture
def paid(client, dossier, citizen, start_payment, gateway_says):
    order = start_payment(dossier, citizen)
    client.get(reverse("payments:ipn"), gateway_says(order))
    order.refresh_from_db()
    assert order.state == "paid"
    return order


@pytest.fixture
def desk(demo):
    return demo["people"]["motcua.nghilong"]


def test_partial_then_full_refund(paid, desk, dossier):
    services.refund(paid, actor=desk, amount=3000, reason="Thu thừa")
    paid.refresh_from_db()
    assert paid.state == "refunded" and paid.refunded_amount == 3000
    services.refund(paid, actor=desk, amount=5000, reason="Hồ sơ bị từ chối")
    paid.refresh_from_db()
    assert paid.refunded_amount == 8000 == paid.amount
    assert services.status_for(dossier) == "refunded"
    assert AuditRecord.objects.filter(action="payments.refund", object_id=str(paid.pk)).count() == 2


def test_refund_cannot_exceed_what_was_paid(paid, desk):
    with pytest.raises(ValidationError) as caught:
        services.refund(paid, actor=desk, amount=8001, reason="Quá")
    assert "8.000 đ" in str(caught.value.message_dict["amount"])
    services.refund(paid, actor=desk, amount=8000, reason="Hoàn hết")
    with pytest.raises(ValidationError):
        services.refund(paid, actor=desk, amount=1, reason="Thêm")
    paid.refresh_from_db()
    assert paid.refunded_amount == 8000


@pytest.mark.parametrize("amount, reason", [(0, "Lý do"), (-5, "Lý do"), (100, "  ")])
def test_refund_needs_amount_and_reason(paid, desk, amount, reason):
    with pytest.raises(ValidationError):
        services.refund(paid, actor=desk, amount=amount, reason=reason)
    paid.refresh_from_db()
    assert paid.refunded_amount == 0 and paid.state == "paid"


def test_unpaid_order_cannot_be_refunded(dossier, citizen, start_payment, desk):
    order = start_payment(dossier, citizen)
    with pytest.raises(ValidationError):
        services.refund(order, actor=desk, amount=1, reason="Nhầm")


def test_only_officials_of_the_unit_refund(paid, demo, citizen, official_at):
    outsider = official_at(demo["units"]["Xã Nghi Mỹ"], Role.DESK_OFFICER)
    for user in (citizen, outsider, demo["people"]["congchuc.nghilong"]):
        with pytest.raises(PermissionDenied):
            services.refund(paid, actor=user, amount=1000, reason="Không được")
    assert not AuditRecord.objects.filter(action="payments.refund").exists()


def test_refund_page(client, paid, desk):
    client.force_login(desk)
    url = reverse("payments:refund", args=[paid.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"amount": "9000", "reason": "Quá nhiều"})
    assert bad.status_code == 400 and "8.000 đ" in bad.content.decode()
    good = client.post(url, {"amount": "8000", "reason": "Hồ sơ rút"})
    assert good.status_code == 302
    paid.refresh_from_db()
    assert paid.refunded_amount == 8000


def test_refund_page_of_another_unit_is_404(client, paid, demo, official_at):
    client.force_login(official_at(demo["units"]["Xã Nghi Mỹ"], Role.DESK_OFFICER))
    assert client.get(reverse("payments:refund", args=[paid.pk])).status_code == 404
