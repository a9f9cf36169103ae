"""A second successful payment of a dossier already paid (two orders from before the one-order
rule, or a race at the gateway) is refunded automatically: recorded with the refund service,
audited, and shown on the reconciliation page."""

from django.urls import reverse
from django.utils import timezone

from congso.core.models import AuditRecord
from congso.onestop.reports import Period
from congso.payments import reports, services
from congso.payments.models import Payment


def test_second_success_is_refunded_automatically(
    client,
    dossier,
    citizen,
    start_payment,
    gateway_says,
    sandbox_gateway,
    django_capture_on_commit_callbacks,
):
    first = start_payment(dossier, citizen)
    assert client.get(reverse("payments:ipn"), gateway_says(first)).json()["RspCode"] == "00"
    second = Payment.objects.create(  # an order left open from before the one-order rule
        ref="TT-OLD-SECOND",
        dossier=dossier,
        unit=first.unit,
        payer=citizen,
        amount=first.amount,
        provider=first.provider,
        created_at=first.created_at,
        expires_at=first.expires_at,
    )
    with django_capture_on_commit_callbacks() as queued:
        answer = client.get(reverse("payments:ipn"), gateway_says(second)).json()
    assert answer["RspCode"] == "00"  # the gateway took the money: acknowledge it
    assert queued  # the refund is sent to the gateway after the notification commits
    second.refresh_from_db()
    assert second.state == "refunded" and second.refunded_amount == second.amount
    refund = second.refunds.get()
    assert refund.amount == second.amount and refund.recorded_by is None
    assert refund.status == "requested" and sandbox_gateway.gateway.refunds == []
    assert services.send_requested_refund(refund.pk) == "done"
    refund.refresh_from_db()
    assert refund.gateway_code == "00" and refund.gateway_transaction_no
    assert sandbox_gateway.gateway.refunds == [
        (second.ref, second.amount, refund.gateway_transaction_no)
    ]
    assert services.send_requested_refund(refund.pk) == "done"  # sent once only
    assert len(sandbox_gateway.gateway.refunds) == 1
    assert AuditRecord.objects.filter(
        action="payments.auto_refund", object_id=str(second.pk)
    ).exists()
    first.refresh_from_db()
    assert first.state == "paid" and first.refunded_amount == 0
    day = timezone.localdate()
    report = reports.reconcile(first.unit, Period(day, day), now=timezone.now())
    line = next(line for line in report.lines if line.payment.pk == second.pk)
    assert any("hoàn tiền tự động" in problem for problem in line.problems)
