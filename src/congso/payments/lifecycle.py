"""Lifecycle of a payment order as a transition table on the one engine in ``core.lifecycle``:
(state, action) → state.

An order (one attempt to pay a dossier's fee through the gateway) starts *pending*; the
gateway's notification (IPN) makes it *paid*, *failed* or *cancelled*; an order the gateway
stopped accepting (past its expiry) is closed as *failed* before the next one starts, so a
dossier has at most one pending order; an official may record a
refund of a paid order. A failed or cancelled order is final: the citizen pays again with a new
order, so the gateway never sees one order reference twice. ``check`` is the one gate.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.core import lifecycle
from congso.core.lifecycle import TransitionRefused, row

__all__ = ["TransitionRefused"]


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    CANCELLED = "cancelled", _("Đã huỷ thanh toán")
    REFUNDED = "refunded", _("Đã hoàn tiền")


ACTIONS = {
    "pay": _("Ghi nhận đã thanh toán"),
    "fail": _("Ghi nhận thanh toán không thành công"),
    "cancel": _("Ghi nhận người nộp huỷ thanh toán"),
    "refund": _("Hoàn tiền"),
    "expire": _("Đóng giao dịch quá hạn mà cổng chưa báo kết quả"),
}

P = PaymentState
#: A refund states why (the register of refunds is audited).
REFUND_REASON = _("Nêu lý do hoàn tiền.")

#: (from, action, to). Anything not listed is refused; a refund may be recorded in parts.
PAYMENT = lifecycle.Machine(
    "payments.payment",
    PaymentState,
    ACTIONS,
    [
        row(P.PENDING, "pay", P.PAID),
        row(P.PENDING, "fail", P.FAILED),
        row(P.PENDING, "cancel", P.CANCELLED),
        row(P.PENDING, "expire", P.FAILED),
        row(P.PAID, "refund", P.REFUNDED, reason=REFUND_REASON),
        row(P.REFUNDED, "refund", P.REFUNDED, reason=REFUND_REASON),
    ],
    noun=_("giao dịch"),
    initial=P.PENDING,
    final={P.FAILED, P.CANCELLED},
)

#: (state, action) → row, every allowed cell.
TRANSITIONS = PAYMENT.cells()

#: States in which the money reached the unit's account (a refund does not undo the payment).
SETTLED = (PaymentState.PAID, PaymentState.REFUNDED)


def check(state: str, action: str) -> str:
    """The one gate: the new state when ``action`` is allowed from ``state``, else refused."""
    return PAYMENT.check(state, action).lands(state)
