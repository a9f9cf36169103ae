"""Lifecycle of a payment order as a transition table: (state, action) → state.

An order (one attempt to pay a dossier's fee through the gateway) starts *pending*; the
gateway's notification (IPN) makes it *paid*, *failed* or *cancelled*; an order the gateway
stopped accepting (past its expiry) is closed as *failed* before the next one starts, so a
dossier has at most one pending order; an official may record a
refund of a paid order. A failed or cancelled order is final: the citizen pays again with a new
order, so the gateway never sees one order reference twice. ``check`` is the one gate.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

#: (state, action) → new state. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (PaymentState.PENDING, "pay"): PaymentState.PAID,
    (PaymentState.PENDING, "fail"): PaymentState.FAILED,
    (PaymentState.PENDING, "cancel"): PaymentState.CANCELLED,
    (PaymentState.PENDING, "expire"): PaymentState.FAILED,
    (PaymentState.PAID, "refund"): PaymentState.REFUNDED,
    (PaymentState.REFUNDED, "refund"): PaymentState.REFUNDED,
}

#: States in which the money reached the unit's account (a refund does not undo the payment).
SETTLED = (PaymentState.PAID, PaymentState.REFUNDED)


class TransitionRefused(Exception):
    """Raised with a Vietnamese message saying why."""


def check(state: str, action: str) -> str:
    """The one gate: the new state when ``action`` is allowed from ``state``, else refused."""
    if action not in ACTIONS:
        raise TransitionRefused(_("Thao tác “%(action)s” không tồn tại.") % {"action": action})
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise TransitionRefused(
            _("Không thể “%(action)s” khi giao dịch đang ở trạng thái “%(state)s”.")
            % {"action": ACTIONS[action], "state": PaymentState(state).label}
        )
    return target
