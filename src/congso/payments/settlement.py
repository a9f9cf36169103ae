"""Daily settlement-file reconciliation (đối soát file ngày T). VNPay's reconciliation process:
the gateway sends the merchant the file of day T's transactions; the merchant compares it with
its own orders and raises every difference with the gateway before the money of day T is paid
out. Here the file is fetched through the payment provider (``Provider.settlement``) and each
row is matched with our order by its reference:

* **matched** — paid here and in the file, same amount;
* **amount mismatch** — both hold it, the amounts differ;
* **missing here** — in the file, but we hold no paid order by that reference (an IPN and a
  ``querydr`` both lost, or someone else's order);
* **missing there** — paid here that day (GMT+7) but absent from the file.

The beat job ``payments.tasks.reconcile_settlement`` reconciles yesterday each morning and
audits the counts; the finance officer's page reconciles any day on demand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congso.core import audit

from .lifecycle import SETTLED
from .models import Payment
from .providers.base import GatewayError, SettlementLine
from .providers.registry import get_provider

#: The gateway's day (VNPay dates every transaction in GMT+7).
GATEWAY_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class SettlementReport:
    day: dt.date
    matched: list[tuple[Payment, SettlementLine]] = field(default_factory=list)
    amount_mismatch: list[tuple[Payment, SettlementLine]] = field(default_factory=list)
    missing_here: list[SettlementLine] = field(default_factory=list)
    missing_there: list[Payment] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "matched": len(self.matched),
            "amount_mismatch": len(self.amount_mismatch),
            "missing_here": len(self.missing_here),
            "missing_there": len(self.missing_there),
        }

    @property
    def agreed(self) -> bool:
        return not (self.amount_mismatch or self.missing_here or self.missing_there)


def _file(day: dt.date) -> tuple[str, list[SettlementLine]]:
    provider = get_provider()
    try:
        lines = provider.settlement(day)
    except GatewayError as exc:
        raise ValidationError(
            _("Không lấy được file đối soát của cổng thanh toán: %(e)s") % {"e": exc},
            code="unreachable",
        ) from exc
    if lines is None:
        raise ValidationError(
            _("Cổng thanh toán đang dùng không cung cấp file đối soát hằng ngày."),
            code="unsupported",
        )
    return provider.identifier, lines


def reconcile_day(day: dt.date, *, unit_ids=None) -> SettlementReport:
    """Compare the gateway's file of ``day`` with our orders (of ``unit_ids`` when given)."""
    identifier, lines = _file(day)
    begin = dt.datetime.combine(day, dt.time(), GATEWAY_ZONE)
    ours = Payment.objects.filter(provider=identifier, state__in=SETTLED).select_related(
        "dossier", "unit"
    )
    if unit_ids is not None:
        ours = ours.filter(unit_id__in=unit_ids)
    by_ref = {p.ref: p for p in ours.filter(ref__in=[line.ref for line in lines])}
    report = SettlementReport(day)
    for line in lines:
        payment = by_ref.get(line.ref)
        if payment is None:
            if unit_ids is None or not Payment.objects.filter(ref=line.ref).exists():
                report.missing_here.append(line)
        elif payment.amount != line.amount:
            report.amount_mismatch.append((payment, line))
        else:
            report.matched.append((payment, line))
    in_file = {line.ref for line in lines}
    paid_that_day = ours.filter(paid_at__gte=begin, paid_at__lt=begin + dt.timedelta(days=1))
    report.missing_there = [p for p in paid_that_day.order_by("paid_at") if p.ref not in in_file]
    return report


def reconcile_yesterday(*, today: dt.date | None = None) -> dict[str, int]:
    """The morning job: yesterday's file against every order, the counts audited."""
    today = today or dt.datetime.now(GATEWAY_ZONE).date()
    report = reconcile_day(today - dt.timedelta(days=1))
    audit.record(
        "payments.settlement",
        object_type="payments.settlement",
        object_id=report.day.isoformat(),
        object_repr=report.day.isoformat(),
        data=report.counts,
    )
    return report.counts
