"""Payments waiting for an official, for the inbox (``core.awaiting``): refunds the gateway
refused, which the unit's accountant pays back by bank transfer and confirms."""

from django.urls import reverse
from django.utils.translation import gettext as _

from congso.core.awaiting import Batch, Item

from .services import refunds_to_transfer


def awaiting(user, limit: int) -> Batch:
    if not user.is_authenticated or not user.is_official:
        return Batch()
    refunds = refunds_to_transfer(user)
    count = refunds.count()
    if not limit or not count:
        return Batch(count)
    return Batch(count, [_item(refund) for refund in refunds.order_by("recorded_at")[:limit]])


def _item(refund) -> Item:
    payment = refund.payment
    return Item(
        source="payments",
        kind=_("Chờ hoàn tiền bằng chuyển khoản"),
        title=payment.dossier.procedure.name,
        reference=payment.dossier.code,
        url=reverse("payments:refund", args=[payment.pk]),
        since=refund.recorded_at,
    )
