"""Demo data of the payments app: recent online dossiers with a fee are paid through the same
path as real ones — an order, then a notification signed with the configured secret — so the
reconciliation, receipts and dashboard figures have something to show. Most are paid, a few
cancelled, some left unpaid. The year of generated history (``onestop.history``: dossiers
without an account, most of them finished) gets its settled orders written as rows, the way that
generator writes dossiers. Idempotent: dossiers that already have an order are skipped."""

import datetime as dt
import random

from django.utils import timezone

from congso.core import audit
from congso.core.numbering import next_value
from congso.onestop import services as onestop
from congso.payments import services
from congso.payments.lifecycle import PaymentState
from congso.payments.models import Payment
from congso.payments.providers.contrib.vnpay.plugin import gmt7, sign
from congso.payments.providers.registry import get_provider

DAYS = 90
LIMIT = 200
SEED = 2026


def _notice(payment, code: str, number: int, when: dt.datetime) -> dict:
    provider = get_provider()
    params = {
        "vnp_Amount": str(payment.amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_OrderInfo": f"Thanh toan le phi ho so {payment.dossier.code}",
        "vnp_PayDate": gmt7(when),
        "vnp_ResponseCode": code,
        "vnp_TmnCode": provider.tmn_code,
        "vnp_TransactionNo": str(number),
        "vnp_TransactionStatus": "00" if code == "00" else "02",
        "vnp_TxnRef": payment.ref,
    }
    return params | {"vnp_SecureHash": sign(params, provider.secret)}


def load(loaded: dict) -> None:
    _pay_recent()
    _write_history()


def _pay_recent() -> None:
    since = timezone.now() - dt.timedelta(days=DAYS)
    dossiers = (
        onestop.dossiers()
        .filter(channel="online", fee_amount__gt=0, applicant__isnull=False, filed_at__gte=since)
        .exclude(state__in=services.CLOSED_STATES)
        .filter(payments__isnull=True)
        .select_related("applicant")
        .order_by("filed_at", "id")[:LIMIT]
    )
    now = timezone.now()
    for dossier in dossiers:
        rng = random.Random(f"{SEED}:pay:{dossier.code}")  # same choice on every run and database
        roll = rng.random()
        if roll > 0.9:
            continue  # left unpaid
        when = min(dossier.filed_at + dt.timedelta(minutes=rng.randint(2, 90)), now)
        services.start(
            dossier,
            actor=dossier.applicant,
            client_ip="127.0.0.1",
            return_url="http://127.0.0.1:8000/payments/return/",
            now=when,
        )
        payment = services.orders_of(dossier)[0]
        code = "24" if roll > 0.8 else "00"
        number = 14_000_000 + payment.pk
        services.handle_notification(_notice(payment, code, number, when), now=when)


#: Share of the history's online fee dossiers paid online (the rest paid at the desk).
HISTORY_PAID_SHARE = 0.7


def _write_history() -> None:
    dossiers = (
        onestop.dossiers()
        .filter(channel="online", fee_amount__gt=0, applicant__isnull=True, payments__isnull=True)
        .only("pk", "code", "filed_at", "fee_amount", "receiving_unit_id")
        .order_by("filed_at", "id")
    )
    provider = get_provider()
    rows = []
    for dossier in dossiers:
        rng = random.Random(f"{SEED}:history:{dossier.code}")
        if rng.random() > HISTORY_PAID_SHARE:
            continue
        created = dossier.filed_at + dt.timedelta(minutes=rng.randint(1, 30))
        paid = created + dt.timedelta(minutes=rng.randint(1, 10))
        year = timezone.localtime(paid).year
        rows.append(
            Payment(
                ref=f"TT{year}{next_value(f'payments.order.{year}'):06d}",
                dossier_id=dossier.pk,
                unit_id=dossier.receiving_unit_id,
                amount=dossier.fee_amount,
                state=PaymentState.PAID,
                provider=provider.identifier,
                client_ip="127.0.0.1",
                created_at=created,
                expires_at=created + dt.timedelta(minutes=services.ORDER_MINUTES),
                settled_at=paid,
                paid_at=paid,
                response_code="00",
                transaction_status="00",
                transaction_no=str(13_000_000 + dossier.pk),
                bank_code=rng.choice(["NCB", "VCB", "BIDV", "AGRIBANK", "VNPAYQR"]),
                receipt_number=f"{next_value(f'payments.receipt.{year}'):06d}/{year}",
            )
        )
    if rows:
        Payment.objects.bulk_create(rows, batch_size=500)
        audit.record(
            "payments.generate_history", object_type="payments.payment", data={"orders": len(rows)}
        )
