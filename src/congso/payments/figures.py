"""Figures of the payments app for the dashboard (source ``payments``; see docs/integrations.md
"Figures for the dashboard").

* ``online_fee_dossiers``: dossiers filed online in the period, received by the units, whose
  fee is above zero;
* ``paid_online``: of those, the ones with an order the gateway confirmed as paid (refunded
  later or not);
* ``fee_dossiers`` and ``fee_paid_online``: Decision 766 indicator 3.6 as the national portal
  computes it — every fee-bearing dossier received in the period, whatever the channel, and of
  those the ones whose fee was paid online (a settled order: ``DuocThanhToanTrucTuyen`` 1 or 2);
* ``amount_paid``: VND the gateway confirmed in the period (by time of payment) for orders of
  the units, before refunds;
* ``refunds``: number of refunds recorded in the period for orders of the units.
"""

import datetime as dt

from django.db.models import Sum

from congso.onestop.reports import Period
from congso.onestop.services import dossiers

from .lifecycle import SETTLED
from .models import Payment, Refund


def provide(unit_ids: list[int], start: dt.date, end: dt.date) -> dict:
    period = Period(start, end)
    window = {"gte": period.begin, "lt": period.finish}
    fee_dossiers = dossiers().filter(
        channel="online",
        fee_amount__gt=0,
        receiving_unit_id__in=unit_ids,
        filed_at__gte=window["gte"],
        filed_at__lt=window["lt"],
    )
    paid_dossiers = fee_dossiers.filter(payments__state__in=SETTLED).distinct()
    settled = Payment.objects.filter(
        unit_id__in=unit_ids,
        state__in=SETTLED,
        paid_at__gte=window["gte"],
        paid_at__lt=window["lt"],
    )
    refunds = Refund.objects.filter(
        payment__unit_id__in=unit_ids,
        recorded_at__gte=window["gte"],
        recorded_at__lt=window["lt"],
    )
    fee_bearing = dossiers().filter(
        fee_amount__gt=0,
        receiving_unit_id__in=unit_ids,
        received_at__gte=window["gte"],
        received_at__lt=window["lt"],
    )
    return {
        "fee_dossiers": fee_bearing.count(),
        "fee_paid_online": fee_bearing.filter(payments__state__in=SETTLED).distinct().count(),
        "online_fee_dossiers": fee_dossiers.count(),
        "paid_online": paid_dossiers.count(),
        "amount_paid": settled.aggregate(total=Sum("amount"))["total"] or 0,
        "refunds": refunds.count(),
    }
