"""A refund the gateway refused is owed to the payer until the unit's accountant pays it back by
bank transfer: it waits in the inbox of those who may refund there, and leaves it when one of
them confirms the transfer with its voucher number (audited). Nobody else sees or confirms it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from congso.core import awaiting
from congso.core.models import AuditRecord
from congso.payments.models import Refund, RefundStatus

KIND = "Chờ hoàn tiền bằng chuyển khoản"


@pytest.fixture
def refused(client, dossier, citizen, start_payment, gateway_says):
    order = start_payment(dossier, citizen)
    client.get(reverse("payments:ipn"), gateway_says(order))
    return Refund.objects.create(
        payment=order,
        amount=order.amount,
        reason="Nộp trùng",
        recorded_at=timezone.now(),
        status=RefundStatus.REFUSED,
        gateway_code="94",
        gateway_message="Giao dịch không được phép hoàn",
    )


def _kinds(user) -> list[str]:
    return [item.kind for item in awaiting.awaiting(user)[1]]


def test_the_refused_refund_waits_in_the_accountants_inbox_until_confirmed(client, demo, refused):
    desk = demo["people"]["motcua.nghilong"]
    assert KIND in _kinds(desk)
    client.force_login(desk)
    page = client.get(reverse("payments:refund", args=[refused.payment_id]))
    assert page.status_code == 200 and "Xác nhận đã chuyển khoản" in page.content.decode()
    url = reverse("payments:confirm_transfer", args=[refused.pk])
    answer = client.post(url, {"reference": "UNC 0123/2026"})
    assert answer.status_code == 302
    refused.refresh_from_db()
    assert refused.status == RefundStatus.TRANSFERRED
    assert refused.transfer_reference == "UNC 0123/2026"
    assert KIND not in _kinds(desk)
    assert AuditRecord.objects.filter(action="payments.refund_transferred").count() == 1
    again = client.post(url, {"reference": "UNC 0124/2026"})  # settled once only
    assert again.status_code == 400 and "không chờ chuyển khoản" in again.content.decode()


def test_a_confirmation_without_its_voucher_number_changes_nothing(client, demo, refused):
    client.force_login(demo["people"]["motcua.nghilong"])
    answer = client.post(
        reverse("payments:confirm_transfer", args=[refused.pk]), {"reference": " "}
    )
    assert answer.status_code == 400
    assert "Nhập số chứng từ chuyển khoản." in answer.content.decode()
    refused.refresh_from_db()
    assert refused.status == RefundStatus.REFUSED and refused.transfer_reference == ""


def test_an_official_who_may_not_refund_neither_sees_nor_confirms_it(client, demo, refused):
    specialist = demo["people"]["congchuc.nghilong"]  # sees payments, may not refund
    assert KIND not in _kinds(specialist)
    client.force_login(specialist)
    answer = client.post(
        reverse("payments:confirm_transfer", args=[refused.pk]), {"reference": "UNC 1"}
    )
    assert answer.status_code in (403, 404)
    refused.refresh_from_db()
    assert refused.status == RefundStatus.REFUSED
