"""One order, one charge: a dossier has at most one pending order. Pressing "Thanh toán" again
continues the pending order; the database refuses a second pending order too."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from congso.payments import services
from congso.payments.models import Payment


def test_second_start_continues_the_pending_order(dossier, citizen):
    first = services.start(dossier, actor=citizen, client_ip="127.0.0.1", return_url="http://t/r/")
    second = services.start(dossier, actor=citizen, client_ip="127.0.0.1", return_url="http://t/r/")
    order = Payment.objects.get(dossier=dossier)
    assert order.ref in first and order.ref in second
    assert order.state == "pending"


def test_expired_order_is_closed_before_a_new_one(dossier, citizen):
    services.start(dossier, actor=citizen, client_ip="127.0.0.1", return_url="http://t/r/")
    later = timezone.now() + dt.timedelta(minutes=services.ORDER_MINUTES + 1)
    services.start(
        dossier, actor=citizen, client_ip="127.0.0.1", return_url="http://t/r/", now=later
    )
    states = sorted(Payment.objects.filter(dossier=dossier).values_list("state", flat=True))
    assert states == ["failed", "pending"]


def test_database_refuses_a_second_pending_order(dossier, citizen):
    services.start(dossier, actor=citizen, client_ip="127.0.0.1", return_url="http://t/r/")
    order = Payment.objects.get(dossier=dossier)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            ref="TT-SECOND",
            dossier=dossier,
            unit=order.unit,
            payer=citizen,
            amount=order.amount,
            provider=order.provider,
            created_at=order.created_at,
            expires_at=order.expires_at,
        )
