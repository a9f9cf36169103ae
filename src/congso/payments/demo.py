"""Demo data of the payments app: recent online dossiers with a fee are paid through the same
path as real ones — an order, then a notification signed with the configured secret — so the
reconciliation, receipts and dashboard figures have something to show. Most are paid, a few
cancelled, some left unpaid. Idempotent: dossiers that already have an order are skipped."""

import datetime as dt
import random

from django.utils import timezone

from congso.onestop.models import Dossier

from . import services
from .providers import get_provider, gmt7, sign

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
    since = timezone.now() - dt.timedelta(days=DAYS)
    dossiers = (
        Dossier.objects.filter(
            channel="online", fee_amount__gt=0, applicant__isnull=False, filed_at__gte=since
        )
        .exclude(state__in=services.CLOSED_STATES)
        .filter(payments__isnull=True)
        .select_related("applicant")
        .order_by("filed_at", "id")[:LIMIT]
    )
    now = timezone.now()
    for dossier in dossiers:
        rng = random.Random(SEED * 1_000_003 + dossier.pk)  # same choice on every run
        roll = rng.random()
        if roll > 0.9:
            continue  # left unpaid
        when = min(dossier.filed_at + dt.timedelta(minutes=rng.randint(2, 90)), now)
        services.start(
            dossier,
            dossier.applicant,
            client_ip="127.0.0.1",
            return_url="http://127.0.0.1:8000/payments/return/",
            now=when,
        )
        payment = services.orders_of(dossier)[0]
        code = "24" if roll > 0.8 else "00"
        number = 14_000_000 + payment.pk
        services.handle_notification(_notice(payment, code, number, when), now=when)
