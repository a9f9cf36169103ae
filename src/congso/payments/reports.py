"""Reconciliation of the gateway's orders for a unit (and its subtree) and a period: every
order created in the period, what the gateway confirmed, and the rows an official must look at
(mismatches) before agreeing the totals with the bank's statement."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.core import audit, spreadsheets
from congso.onestop.reports import Period, unit_ids

from .lifecycle import SETTLED, PaymentState
from .models import Payment

if TYPE_CHECKING:  # type names only: no import of another app's models at run time
    from congso.org.models import Unit


@dataclass
class Line:
    payment: Payment
    problems: list[str] = field(default_factory=list)


@dataclass
class Reconciliation:
    unit: Unit
    period: Period
    lines: list[Line]
    orders: int = 0
    paid: int = 0
    amount_paid: int = 0
    amount_refunded: int = 0

    @property
    def mismatches(self) -> list[Line]:
        return [line for line in self.lines if line.problems]

    @property
    def net(self) -> int:
        return self.amount_paid - self.amount_refunded


def problems_of(
    payment: Payment, *, duplicates: int, rejected: int, now: dt.datetime, auto_refunded=False
) -> list:
    """What needs an official's look on one order (Vietnamese, one phrase each)."""
    problems = []
    if auto_refunded:
        problems.append(_("Thanh toán trùng, đã ghi nhận hoàn tiền tự động: cần chuyển trả"))
    if payment.state in SETTLED and not payment.transaction_no:
        problems.append(_("Đã thanh toán nhưng thiếu mã giao dịch của cổng"))
    if payment.state in SETTLED and duplicates > 1:
        problems.append(_("Hồ sơ được thanh toán %(n)d lần") % {"n": duplicates})
    if payment.amount != payment.dossier.fee_amount:
        problems.append(_("Số tiền khác lệ phí của hồ sơ"))
    if payment.state == PaymentState.PENDING and payment.expires_at <= now:
        problems.append(_("Quá hạn mà cổng chưa báo kết quả"))
    if rejected:
        problems.append(_("%(n)d thông báo của cổng bị từ chối") % {"n": rejected})
    return problems


def reconcile(unit: Unit, period: Period, *, now: dt.datetime | None = None) -> Reconciliation:
    now = now or timezone.now()
    payments = list(
        Payment.objects.filter(
            unit_id__in=unit_ids(unit), created_at__gte=period.begin, created_at__lt=period.finish
        )
        .select_related("dossier", "dossier__procedure", "unit")
        .order_by("created_at", "id")
    )
    settled_per_dossier = dict(
        Payment.objects.filter(dossier_id__in={p.dossier_id for p in payments}, state__in=SETTLED)
        .values_list("dossier_id")
        .annotate(n=Count("id"))
    )
    rejected = Counter(
        audit.records()
        .filter(action="payments.ipn_rejected", object_id__in=[p.ref for p in payments])
        .values_list("object_id", flat=True)
    )
    auto_refunded = set(
        audit.records()
        .filter(action="payments.auto_refund", object_id__in=[str(p.pk) for p in payments])
        .values_list("object_id", flat=True)
    )
    report = Reconciliation(unit=unit, period=period, lines=[], orders=len(payments))
    for payment in payments:
        duplicates = settled_per_dossier.get(payment.dossier_id, 0)
        problems = problems_of(
            payment,
            duplicates=duplicates,
            rejected=rejected[payment.ref],
            now=now,
            auto_refunded=str(payment.pk) in auto_refunded,
        )
        report.lines.append(Line(payment, problems))
        if payment.state in SETTLED:
            report.paid += 1
            report.amount_paid += payment.amount
            report.amount_refunded += payment.refunded_amount
    return report


HEADINGS = [
    gettext_lazy("Mã giao dịch"),
    gettext_lazy("Hồ sơ"),
    gettext_lazy("Thủ tục"),
    gettext_lazy("Tạo lúc"),
    gettext_lazy("Trạng thái"),
    gettext_lazy("Số tiền (đ)"),
    gettext_lazy("Đã hoàn (đ)"),
    gettext_lazy("Mã giao dịch cổng"),
    gettext_lazy("Ngân hàng"),
    gettext_lazy("Thanh toán lúc"),
    gettext_lazy("Cần kiểm tra"),
]


def to_xlsx(report: Reconciliation) -> bytes:
    """The reconciliation as a workbook: one row per order, totals at the bottom."""
    book = spreadsheets.new_book()
    sheet = book.active
    sheet.title = _("Đối soát")[:31]
    heading_lines = [
        _("ĐỐI SOÁT THANH TOÁN TRỰC TUYẾN — %(unit)s") % {"unit": report.unit.name},
        _("Từ ngày %(start)s đến ngày %(end)s")
        % {
            "start": report.period.start.strftime("%d/%m/%Y"),
            "end": report.period.end.strftime("%d/%m/%Y"),
        },
    ]
    rows = (
        [
            line.payment.ref,
            line.payment.dossier.code,
            line.payment.dossier.procedure.name,
            line.payment.created_at,
            line.payment.get_state_display(),
            line.payment.amount,
            line.payment.refunded_amount,
            line.payment.transaction_no,
            line.payment.bank_code,
            line.payment.paid_at,
            "; ".join(line.problems),
        ]
        for line in report.lines
    )
    spreadsheets.table(sheet, heading_lines, [str(h) for h in HEADINGS], rows)
    spreadsheets.append(sheet, [])
    spreadsheets.append(sheet, [_("Số giao dịch"), report.orders])
    spreadsheets.append(sheet, [_("Đã thanh toán"), report.paid])
    spreadsheets.append(sheet, [_("Số tiền đã thu (đ)"), report.amount_paid])
    spreadsheets.append(sheet, [_("Số tiền đã hoàn (đ)"), report.amount_refunded])
    spreadsheets.append(sheet, [_("Cần kiểm tra"), len(report.mismatches)])
    return spreadsheets.to_bytes(book)
