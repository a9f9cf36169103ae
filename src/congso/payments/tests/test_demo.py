"""The demo pays recent online dossiers through the real path and gives the generated history
its settled orders; loading twice adds nothing."""

import datetime as dt

from django.utils import timezone

from congso.demo import history
from congso.demo import payments as payments_demo
from congso.onestop.models import Dossier
from congso.payments import services
from congso.payments.models import Payment


def test_demo_pays_recent_online_dossiers_once(demo, citizen, file_dossier):
    dossiers = [file_dossier(citizen) for _ in range(4)]
    payments_demo.load(demo)
    orders = list(Payment.objects.all())
    assert orders and all(p.state in ("paid", "cancelled") for p in orders)
    assert any(services.status_for(d) == "paid" for d in dossiers)
    assert all(p.transaction_no for p in orders if p.state == "paid")
    payments_demo.load(demo)
    assert Payment.objects.count() == len(orders)


def test_demo_history_gets_settled_orders_with_distinct_receipts(demo):
    end = timezone.now()
    history.generate(400, start=end - dt.timedelta(days=120), end=end, seed=5)
    eligible = Dossier.objects.filter(channel="online", fee_amount__gt=0, applicant__isnull=True)
    assert eligible.count() > 10
    payments_demo.load(demo)
    orders = Payment.objects.filter(dossier__in=eligible)
    assert 0.5 * eligible.count() <= orders.count() <= 0.9 * eligible.count()
    assert {p.state for p in orders} == {"paid"}
    assert all(p.amount == p.dossier.fee_amount and p.paid_at > p.dossier.filed_at for p in orders)
    receipts = [p.receipt_number for p in orders]
    assert len(set(receipts)) == len(receipts) and all(receipts)
    payments_demo.load(demo)
    assert Payment.objects.filter(dossier__in=eligible).count() == orders.count()
