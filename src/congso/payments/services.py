"""The only writer of payments: start an order, settle it from the gateway's notification,
record a refund. Every change runs in a transaction and is written to the audit log; every
notification the services refuse is audited too, and changes nothing.

The browser's return from the gateway is shown to the citizen but never trusted: only a
notification whose signature, order and amount all check out settles an order.
"""

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.accounts.permissions import acting_units, may
from congso.core import audit, formatting
from congso.core.numbering import next_value
from congso.onestop import services as onestop
from congso.onestop.lifecycle import State

from . import lifecycle
from .lifecycle import PaymentState
from .models import Payment, Refund
from .providers.base import InvalidSignature, Notice, Order
from .providers.registry import get_provider

log = logging.getLogger(__name__)

#: How long the gateway accepts an order (``vnp_ExpireDate``).
ORDER_MINUTES = 15
#: Dossiers in these states will never be processed: nothing to pay for.
CLOSED_STATES = {State.NOT_RECEIVED, State.WITHDRAWN, State.STOPPED}


# --- Reading --------------------------------------------------------------------------------


def _portal_code(provider: str) -> str:
    from .providers.registry import registry

    return registry.get(provider).portal_payment_code if provider in registry else "2"


def portal_payment_codes(dossier_ids) -> dict[int, str]:
    """How each dossier's fee was actually paid online, as the national portal codes it
    (``DuocThanhToanTrucTuyen``: "1" national payment platform, "2" provincial gateway): from the
    settled order's gateway. Dossiers not paid online are absent."""
    rows = Payment.objects.filter(dossier_id__in=list(dossier_ids), state__in=lifecycle.SETTLED)
    rows = rows.order_by("dossier_id", "paid_at", "id").values_list("dossier_id", "provider")
    codes: dict[int, str] = {}
    for dossier_id, provider in rows:
        codes.setdefault(dossier_id, _portal_code(provider))
    return codes


def dossiers_paid_between(since: dt.datetime, until: dt.datetime | None) -> list[int]:
    """Dossiers with an order settled in [``since``, ``until``): their sync record changed."""
    rows = Payment.objects.filter(settled_at__gte=since)
    if until is not None:
        rows = rows.filter(settled_at__lt=until)
    return list(rows.values_list("dossier_id", flat=True).distinct())


def orders_of(dossier) -> list[Payment]:
    return sorted(dossier.payments.all(), key=lambda p: (p.created_at, p.pk), reverse=True)


def status_for(dossier, *, now: dt.datetime | None = None) -> str:
    """The dossier's payment status in the words of regulations §7: ``none`` (no fee),
    ``unpaid``, ``pending``, ``paid``, ``cancelled`` (the last attempt was cancelled; payable
    again) or ``refunded``."""
    now = now or timezone.now()
    orders = orders_of(dossier) if dossier.pk else []
    states = {p.state for p in orders}
    if PaymentState.PAID in states:
        return "paid"
    if PaymentState.REFUNDED in states:
        return "refunded"
    if not dossier.fee_amount:
        return "none"
    latest = orders[0] if orders else None
    if latest is None:
        return "unpaid"
    if latest.state == PaymentState.PENDING and latest.expires_at > now:
        return "pending"
    if latest.state == PaymentState.CANCELLED:
        return "cancelled"
    return "unpaid"


STATUS_LABELS = {
    "none": gettext_lazy("Không thu phí, lệ phí"),
    "unpaid": gettext_lazy("Chưa thanh toán"),
    "pending": gettext_lazy("Đang chờ cổng thanh toán xác nhận"),
    "paid": gettext_lazy("Đã thanh toán"),
    "cancelled": gettext_lazy("Đã huỷ thanh toán, có thể thanh toán lại"),
    "refunded": gettext_lazy("Đã hoàn tiền"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


def payable_problem(dossier) -> str | None:
    """Why the dossier cannot be paid online now (Vietnamese), or ``None`` when it can."""
    if not dossier.fee_amount:
        return _("Thủ tục này không thu phí, lệ phí.")
    if dossier.state in CLOSED_STATES:
        return _("Hồ sơ đã dừng xử lý nên không cần thanh toán.")
    if status_for(dossier) in ("paid", "refunded"):
        return _("Hồ sơ đã được thanh toán.")
    return None


def owned_dossiers(user):
    """Dossiers a citizen may pay: those they filed."""
    if not user.is_authenticated:
        return onestop.dossiers().none()
    return onestop.dossiers().filter(applicant=user)


def visible_payments(user):
    """Orders ``user`` may see: their own, and as an official those of units within reach."""
    if not user.is_authenticated:
        return Payment.objects.none()
    if user.is_superuser:
        return Payment.objects.all()
    units = acting_units(user, "payments.view")
    return Payment.objects.filter(
        Q(payer=user) | Q(dossier__applicant=user) | Q(unit__in=units)
    ).distinct()


# --- Starting an order ----------------------------------------------------------------------


def _new_ref(now: dt.datetime) -> str:
    year = timezone.localtime(now).year
    return f"TT{year}{next_value(f'payments.order.{year}'):06d}"


def _close_expired(payment: Payment, now: dt.datetime) -> None:
    """The gateway no longer accepts this order: close it so the dossier's next one is its
    only open order."""
    payment.state = lifecycle.check(payment.state, "expire")
    payment.save(update_fields=["state"])
    audit.record(
        "payments.expire",
        payment,
        unit_id=payment.unit_id,
        data={"dossier_id": payment.dossier_id, "expired_at": payment.expires_at.isoformat()},
    )


def _open_order(dossier, now: dt.datetime) -> Payment | None:
    """The dossier's pending order the gateway still accepts (locked); expired ones are closed."""
    open_order = None
    pending = dossier.payments.select_for_update().filter(state=PaymentState.PENDING)
    for payment in pending.order_by("-created_at", "-id"):
        if open_order is None and payment.expires_at > now:
            open_order = payment
        else:
            _close_expired(payment, now)
    return open_order


def start(dossier, user, *, client_ip: str, return_url: str, now: dt.datetime | None = None) -> str:
    """Return the gateway address to send the citizen to, to pay the dossier's fee. One order,
    one charge: while an order is pending at the gateway, pressing "Thanh toán" again continues
    that order (same reference, so the gateway refuses to take the money twice); an order past
    its expiry is closed and a new one created."""
    now = now or timezone.now()
    provider = get_provider()
    if not provider.configured:
        raise ValidationError(
            _("Thanh toán trực tuyến chưa sẵn sàng; vui lòng nộp lệ phí tại bộ phận một cửa.")
        )
    with transaction.atomic():
        dossier = onestop.dossier_for_update(dossier.pk, "procedure")
        if dossier.applicant_id != user.pk:
            raise PermissionDenied(_("Chỉ người nộp hồ sơ mới thanh toán được lệ phí."))
        problem = payable_problem(dossier)
        if problem:
            raise ValidationError(problem)
        payment = _open_order(dossier, now)
        if payment is not None:
            audit.record(
                "payments.resume",
                payment,
                unit_id=payment.unit_id,
                data={"dossier": dossier.code, "amount": payment.amount},
            )
            return provider.redirect_url(_order(payment, dossier, client_ip, return_url))
        payment = Payment.objects.create(
            ref=_new_ref(now),
            dossier=dossier,
            unit_id=dossier.receiving_unit_id,
            payer=user,
            amount=dossier.fee_amount,
            provider=provider.identifier,
            client_ip=client_ip or None,
            created_at=now,
            expires_at=now + dt.timedelta(minutes=ORDER_MINUTES),
        )
        audit.record(
            "payments.start",
            payment,
            unit_id=payment.unit_id,
            data={
                "dossier": dossier.code,
                "amount": payment.amount,
                "provider": provider.identifier,
            },
        )
    return provider.redirect_url(_order(payment, dossier, client_ip, return_url))


def _order(payment: Payment, dossier, client_ip: str, return_url: str) -> Order:
    return Order(
        ref=payment.ref,
        amount=payment.amount,
        info=f"Thanh toan le phi ho so {dossier.code}",
        created_at=payment.created_at,
        expires_at=payment.expires_at,
        client_ip=client_ip or "127.0.0.1",
        return_url=return_url,
    )


# --- The gateway's notification -------------------------------------------------------------


def _reject(outcome: str, params: dict, payment: Payment | None, ref: str) -> str:
    """Audit a refused notification; nothing else changes."""
    audit.record(
        "payments.ipn_rejected",
        payment,
        unit_id=payment.unit_id if payment else None,
        object_type="payments.payment",
        object_id=ref[:64] or "-",
        object_repr=ref[:64] or "-",
        data={
            "reason": outcome,
            "params": {k: str(v)[:200] for k, v in params.items() if k != "vnp_SecureHash"},
        },
    )
    return outcome


def _settle(payment: Payment, notice: Notice, now: dt.datetime) -> None:
    action = "pay" if notice.succeeded else "cancel" if notice.cancelled else "fail"
    before = payment.state
    payment.state = lifecycle.check(payment.state, action)
    payment.settled_at = now
    payment.response_code = notice.response_code[:4]
    payment.transaction_status = notice.transaction_status[:4]
    payment.transaction_no = notice.transaction_no
    payment.bank_code = notice.bank_code
    if action == "pay":
        payment.paid_at = notice.paid_at or now
        year = timezone.localtime(payment.paid_at).year
        payment.receipt_number = f"{next_value(f'payments.receipt.{year}'):06d}/{year}"
    payment.save()
    audit.record(
        f"payments.{action}",
        payment,
        unit_id=payment.unit_id,
        data={
            "from": before,
            "to": payment.state,
            "dossier_id": payment.dossier_id,
            "amount": payment.amount,
            "response_code": payment.response_code,
            "transaction_no": payment.transaction_no,
        },
    )


def handle_notification(params: dict, *, now: dt.datetime | None = None) -> str:
    """Settle an order from the gateway's IPN. Returns the outcome (a key of
    ``IPN_ANSWERS`` of the VNPay plugin); a call with a bad signature, an unknown order, a wrong amount,
    or for an order already settled (a replay) changes nothing and is audited."""
    now = now or timezone.now()
    provider = get_provider()
    try:
        notice = provider.verify(params)
    except InvalidSignature:
        return _reject("invalid_signature", params, None, str(params.get("vnp_TxnRef", "")))
    if notice.terminal != getattr(provider, "tmn_code", notice.terminal):
        return _reject("error", params, None, notice.ref)
    dossier_id = Payment.objects.filter(ref=notice.ref).values_list("dossier_id", flat=True).first()
    with transaction.atomic():
        # the dossier first, as ``start`` does: two notifications for one dossier take turns
        onestop.dossier_for_update(dossier_id)
        payment = Payment.objects.select_for_update().filter(ref=notice.ref).first()
        if payment is None:
            outcome = "not_found"
        elif notice.amount != payment.amount:
            outcome = "invalid_amount"
        elif payment.state != PaymentState.PENDING:
            outcome = "already_confirmed"
        else:
            _settle(payment, notice, now)
            if payment.state == PaymentState.PAID:
                _refund_if_paid_twice(payment, now)
            return "confirmed"
    return _reject(outcome, params, payment, notice.ref)


def _refund_if_paid_twice(payment: Payment, now: dt.datetime) -> None:
    """The gateway took the money for a dossier already paid by another order: the second
    payment is recorded (the money did arrive) and refunded at once, for the unit's accountant
    to transfer; the reconciliation page lists it."""
    earlier = (
        Payment.objects.filter(dossier_id=payment.dossier_id, state__in=lifecycle.SETTLED)
        .exclude(pk=payment.pk)
        .order_by("paid_at", "id")
        .first()
    )
    if earlier is None:
        return
    dossier = payment.dossier
    _record_refund(
        payment,
        None,
        amount=payment.amount,
        reason=_("Hoàn tiền tự động: hồ sơ %(code)s đã được thanh toán bằng giao dịch %(ref)s.")
        % {"code": dossier.code, "ref": earlier.ref},
        now=now,
    )
    audit.record(
        "payments.auto_refund",
        payment,
        unit_id=payment.unit_id,
        data={"dossier": dossier.code, "amount": payment.amount, "paid_by": earlier.ref},
    )


def read_return(params: dict, user) -> tuple[Payment | None, Notice | None]:
    """The order the browser came back for (only the payer's own) and the gateway's signed
    statement, or ``None`` for a statement whose signature fails. Changes nothing."""
    try:
        notice = get_provider().verify(params)
    except InvalidSignature:
        notice = None
    ref = notice.ref if notice else str(params.get("vnp_TxnRef", ""))
    payment = visible_payments(user).filter(ref=ref, payer=user).first() if ref else None
    return payment, notice


# --- Refunds --------------------------------------------------------------------------------


def refundable(payment: Payment) -> int:
    if payment.state not in lifecycle.SETTLED:
        return 0
    return payment.amount - payment.refunded_amount


def refund(
    payment: Payment, official, *, amount, reason: str, now: dt.datetime | None = None
) -> Refund:
    """Record money returned to the payer (the transfer itself happens at the gateway or the
    treasury). The total refunded never exceeds what was paid."""
    if not may(official, "payments.refund", payment.unit):
        raise PermissionDenied(_("Bạn không có quyền ghi nhận hoàn tiền cho đơn vị này."))
    return _record_refund(payment, official, amount=amount, reason=reason, now=now)


def _record_refund(payment: Payment, official, *, amount, reason: str, now=None) -> Refund:
    """The refund itself, checked against what was paid; ``official`` None is the platform
    (an automatic refund of a double payment)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Nêu lý do hoàn tiền.")]
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        amount = 0
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.state not in lifecycle.SETTLED:
            raise ValidationError(_("Chỉ hoàn tiền cho giao dịch đã thanh toán."))
        if amount <= 0:
            errors["amount"] = [_("Số tiền hoàn phải lớn hơn 0.")]
        elif amount > refundable(payment):
            errors["amount"] = [
                _("Số tiền hoàn không được vượt quá số đã thu còn lại (%(left)s).")
                % {"left": formatting.money(refundable(payment))}
            ]
        if errors:
            raise ValidationError(errors)
        before = payment.state
        payment.state = lifecycle.check(payment.state, "refund")
        payment.refunded_amount += amount
        payment.save(update_fields=["state", "refunded_amount"])
        entry = Refund.objects.create(
            payment=payment, amount=amount, reason=reason, recorded_by=official, recorded_at=now
        )
        audit.record(
            "payments.refund",
            payment,
            unit_id=payment.unit_id,
            data={"from": before, "to": payment.state, "amount": amount, "reason": reason},
        )
    return entry
