"""Background jobs of online payment: the scheduled ``querydr`` reconciliation (every five
minutes, beat entry ``payments-query-pending``) and sending the platform's own refunds."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def query_pending() -> dict:
    """Settle orders whose notification never arrived by asking their gateway."""
    return services.query_pending()


@shared_task(acks_late=True, ignore_result=True)
def refund_at_gateway(refund_id: int) -> str:
    """Send a refund the platform recorded (a dossier paid twice) to the gateway."""
    return services.send_requested_refund(refund_id)


@shared_task(acks_late=True, ignore_result=True)
def reconcile_settlement() -> dict:
    """Reconcile yesterday's settlement file of the gateway (every morning)."""
    from . import settlement

    return settlement.reconcile_yesterday()
