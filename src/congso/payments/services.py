"""The only writer of payments: start an order, settle it from the gateway's notification,
record a refund. Every change runs in a transaction and is written to the audit log; every
notification the services refuse is audited too, and changes nothing.

The browser's return from the gateway is shown to the citizen but never trusted: only a
notification whose signature, order and amount all check out settles an order.
"""

import datetime as dt
import logging

from django.conf import settings
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
from .lifecycle import SETTLED, PaymentState
from .models import Payment, Refund, RefundStatus
from .providers.base import GatewayError, InvalidSignature, Notice, Order, Provider, RefundRequest
from .providers.registry import get_provider, registry

log = logging.getLogger(__name__)

#: How long the gateway accepts an order (``vnp_ExpireDate``).
ORDER_MINUTES = 15
#: An order the gateway has not reported on after this long is asked about (``querydr``).
QUERY_AFTER_MINUTES = 5
#: A citizen who reached the bank's OTP page before the expiry may still finish a little after
#: it: an order the gateway calls "not finished" is closed only this long after its expiry.
GRACE_MINUTES = 10
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


def provider_for(payment: Payment) -> Provider:
    """The gateway that took ``payment`` (by the identifier stored with the order), so an order
    is still queried and refunded at its own gateway after the deployment switches provider."""
    return registry.get(payment.provider or settings.CONGSO_PAYMENT_PROVIDER).from_settings()


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
    """The dossier's pending order the gateway still accepts (locked). An expired order still
    pending here is one the gateway could not rule out (``settle_expired`` asked first): it may
    yet succeed, so no second order starts."""
    pending = dossier.payments.select_for_update().filter(state=PaymentState.PENDING)
    for payment in pending.order_by("-created_at", "-id"):
        if payment.expires_at > now:
            return payment
        raise ValidationError(
            _(
                "Giao dịch %(ref)s có thể vẫn đang được cổng thanh toán xử lý. Vui lòng chờ "
                "vài phút rồi thử lại để không bị trừ tiền hai lần."
            )
            % {"ref": payment.ref}
        )
    return None


def settle_expired(dossier, now: dt.datetime) -> None:
    """Before a new order: ask the gateway about each of the dossier's expired pending orders
    (its notification may have been lost) and settle or close them from the answer."""
    expired = dossier.payments.filter(state=PaymentState.PENDING, expires_at__lte=now)
    for payment in expired.order_by("created_at", "id"):
        settle_from_gateway(payment, now=now)


def start(
    dossier,
    *,
    actor,
    client_ip: str,
    return_url: str,
    notify_url: str = "",
    now: dt.datetime | None = None,
) -> str:
    """Return the gateway address to send the citizen to, to pay the dossier's fee. One order,
    one charge: while an order is pending at the gateway, pressing "Thanh toán" again continues
    that order (same reference, so the gateway refuses to take the money twice); an order past
    its expiry is closed and a new one created."""
    now = now or timezone.now()
    provider = get_provider()
    settle_expired(dossier, now)
    if not provider.configured:
        raise ValidationError(
            _("Thanh toán trực tuyến chưa sẵn sàng; vui lòng nộp lệ phí tại bộ phận một cửa.")
        )
    with transaction.atomic():
        dossier = onestop.dossier_for_update(dossier.pk, "procedure")
        if dossier.applicant_id != actor.pk:
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
            return _redirect(provider, _order(payment, dossier, client_ip, return_url, notify_url))
        payment = Payment.objects.create(
            ref=_new_ref(now),
            dossier=dossier,
            unit_id=dossier.receiving_unit_id,
            payer=actor,
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
    return _redirect(provider, _order(payment, dossier, client_ip, return_url, notify_url))


def _redirect(provider: Provider, order: Order) -> str:
    """The gateway's address for ``order``; a platform that creates the payment server to
    server may be unreachable: the order stays pending and pressing the button again retries."""
    try:
        return provider.redirect_url(order)
    except GatewayError as exc:
        log.warning("payment %s: %s", order.ref, exc)
        raise ValidationError(
            _("Không kết nối được cổng thanh toán. Vui lòng thử lại sau ít phút.")
        ) from exc


# --- Cash at the desk ------------------------------------------------------------------------

#: The ``provider`` of an order paid in cash at the one-stop desk (no gateway involved).
CASH = "cash"


def record_cash(dossier, *, actor, now: dt.datetime | None = None) -> Payment:
    """The desk takes the fee in cash and issues the receipt: a cash order, paid at once through
    the same transition table and receipt numbering as an order the gateway settles. Refused when
    nothing is owed, already paid, or an online payment is still pending at the gateway (the
    citizen might be paying it right now)."""
    now = now or timezone.now()
    with transaction.atomic():
        dossier = onestop.dossier_for_update(dossier.pk, "procedure", "receiving_unit")
        if dossier is None or not may(actor, "payments.collect", dossier.receiving_unit):
            raise PermissionDenied(_("Chỉ Bộ phận Một cửa nơi tiếp nhận được thu tiền mặt."))
        problem = payable_problem(dossier)
        if problem:
            raise ValidationError(problem)
        if _open_order(dossier, now) is not None:
            raise ValidationError(
                _("Người nộp đang thanh toán trực tuyến; chờ cổng thanh toán xác nhận.")
            )
        payment = Payment.objects.create(
            ref=_new_ref(now),
            dossier=dossier,
            unit_id=dossier.receiving_unit_id,
            payer=dossier.applicant,
            amount=dossier.fee_amount,
            provider=CASH,
            created_at=now,
            expires_at=now,
        )
        payment.state = lifecycle.check(payment.state, "pay")
        payment.settled_at = payment.paid_at = now
        year = timezone.localtime(now).year
        payment.receipt_number = f"{next_value(f'payments.receipt.{year}'):06d}/{year}"
        payment.save()
        audit.record(
            "payments.cash",
            payment,
            unit_id=payment.unit_id,
            data={"dossier": dossier.code, "amount": payment.amount},
        )
    return payment


def receipt_of(dossier) -> Payment | None:
    """The settled order whose receipt the dossier's pages link to (the latest), or ``None``."""
    settled = [p for p in orders_of(dossier) if p.state in SETTLED and p.receipt_number]
    return settled[0] if settled else None


def _order(payment: Payment, dossier, client_ip: str, return_url: str, notify_url="") -> Order:
    return Order(
        ref=payment.ref,
        amount=payment.amount,
        info=f"Thanh toan le phi ho so {dossier.code}",
        created_at=payment.created_at,
        expires_at=payment.expires_at,
        client_ip=client_ip or "127.0.0.1",
        return_url=return_url,
        notify_url=notify_url,
    )


# --- The gateway's notification -------------------------------------------------------------


#: Parameters never written to the audit log (signatures: useless there, and long).
SECRET_PARAMS = {"vnp_SecureHash", "signature"}


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
            "params": {k: str(v)[:200] for k, v in params.items() if k not in SECRET_PARAMS},
        },
    )
    return outcome


def _settle(payment: Payment, notice: Notice, now: dt.datetime, via: str = "ipn") -> None:
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
            "via": via,
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
        return _reject("invalid_signature", params, None, provider.ref_of(params))
    if notice.terminal != (provider.merchant_code or notice.terminal):
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
    ref = notice.ref if notice else get_provider().ref_of(params)
    payment = visible_payments(user).filter(ref=ref, payer=user).first() if ref else None
    return payment, notice


# --- Asking the gateway (querydr) ------------------------------------------------------------


def settle_from_gateway(payment: Payment, *, now: dt.datetime | None = None) -> str:
    """Ask the gateway what became of a pending order whose notification has not arrived, and
    settle it from the signed answer exactly as the notification would have. Returns what
    happened: ``paid``, ``failed``, ``closed`` (expired and the gateway rules out success),
    ``pending`` (may still succeed), ``unreachable`` or ``mismatch`` (the gateway's amount
    differs: nothing changes, the audit log says so)."""
    now = now or timezone.now()
    try:
        inquiry = provider_for(payment).query(
            payment.ref, payment.created_at, f"Truy van giao dich {payment.ref}"
        )
    except GatewayError as exc:
        log.warning("querydr %s: %s", payment.ref, exc)
        return "unreachable"
    with transaction.atomic():
        onestop.dossier_for_update(payment.dossier_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.state != PaymentState.PENDING:
            return payment.state  # the notification arrived meanwhile
        if inquiry.outcome in ("paid", "failed"):
            if inquiry.notice.amount != payment.amount:
                _reject("invalid_amount", inquiry.notice.raw, payment, payment.ref)
                return "mismatch"
            _settle(payment, inquiry.notice, now, via="querydr")
            if payment.state == PaymentState.PAID:
                _refund_if_paid_twice(payment, now)
            return inquiry.outcome
        closes_at = payment.expires_at
        if inquiry.outcome == "pending":
            closes_at += dt.timedelta(minutes=GRACE_MINUTES)
        if closes_at <= now:
            _close_expired(payment, now)
            return "closed"
    return "pending"


def query_pending(*, now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """The scheduled reconciliation: every order pending for more than
    ``QUERY_AFTER_MINUTES`` is asked about at its gateway; counts of what happened."""
    now = now or timezone.now()
    due = Payment.objects.filter(
        state=PaymentState.PENDING,
        created_at__lte=now - dt.timedelta(minutes=QUERY_AFTER_MINUTES),
    ).order_by("created_at", "id")[:limit]
    counts: dict[str, int] = {}
    for payment in due:
        outcome = settle_from_gateway(payment, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


# --- Refunds --------------------------------------------------------------------------------


def refundable(payment: Payment) -> int:
    if payment.state not in lifecycle.SETTLED:
        return 0
    return payment.amount - payment.refunded_amount


def refund(
    payment: Payment, *, actor, amount, reason: str, now: dt.datetime | None = None
) -> Refund:
    """Return money to the payer through the gateway's refund API, then record it. The request
    is checked first (reason, amount ≤ what is left); a gateway that refuses or cannot be
    reached leaves nothing recorded, with the reason shown to the official."""
    if not may(actor, "payments.refund", payment.unit):
        raise PermissionDenied(_("Bạn không có quyền ghi nhận hoàn tiền cho đơn vị này."))
    amount, reason = _checked_refund(payment, amount, reason)
    result = _ask_gateway_to_refund(payment, amount, reason, actor)
    if not result.accepted:
        raise ValidationError(
            _("Cổng thanh toán từ chối hoàn tiền (mã %(code)s: %(message)s); chưa ghi nhận gì.")
            % {"code": result.code, "message": result.message or "-"}
        )
    return _record_refund(payment, actor, amount=amount, reason=reason, now=now, gateway=result)


def _ask_gateway_to_refund(payment: Payment, amount: int, reason: str, official):
    request = RefundRequest(
        ref=payment.ref,
        amount=amount,
        paid_amount=payment.amount,
        transaction_no=payment.transaction_no,
        paid_at=payment.paid_at,
        created_at=payment.created_at,
        reason=reason,
        requested_by=getattr(official, "username", "") or "congso",
        request_id=f"HT{payment.pk}{timezone.now():%H%M%S%f}"[:32],
    )
    try:
        return provider_for(payment).refund(request)
    except GatewayError as exc:
        log.warning("refund %s: %s", payment.ref, exc)
        raise ValidationError(
            _(
                "Không kết nối được cổng thanh toán để hoàn tiền; chưa ghi nhận gì. "
                "Vui lòng thử lại sau."
            )
        ) from exc


def _checked_refund(payment: Payment, amount, reason: str) -> tuple[int, str]:
    """The refund's amount and reason if they are acceptable now; ``ValidationError`` if not."""
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [lifecycle.REFUND_REASON]
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        amount = 0
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
    return amount, reason


def _record_refund(
    payment: Payment, official, *, amount, reason: str, now=None, gateway=None
) -> Refund:
    """The refund itself, checked again under the order's lock; ``official`` None is the
    platform (an automatic refund of a double payment, sent to the gateway after commit)."""
    now = now or timezone.now()
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        amount, reason = _checked_refund(payment, amount, reason)
        before = payment.state
        payment.state = lifecycle.check(payment.state, "refund")
        payment.refunded_amount += amount
        payment.save(update_fields=["state", "refunded_amount"])
        entry = Refund.objects.create(
            payment=payment,
            amount=amount,
            reason=reason,
            recorded_by=official,
            recorded_at=now,
            status=RefundStatus.DONE if gateway else RefundStatus.REQUESTED,
            gateway_code=gateway.code if gateway else "",
            gateway_message=gateway.message if gateway else "",
            gateway_transaction_no=gateway.transaction_no if gateway else "",
        )
        audit.record(
            "payments.refund",
            payment,
            unit_id=payment.unit_id,
            data={
                "from": before,
                "to": payment.state,
                "amount": amount,
                "reason": reason,
                "gateway_code": entry.gateway_code,
            },
        )
        if gateway is None:
            transaction.on_commit(lambda: _queue_gateway_refund(entry.pk))
    return entry


def _queue_gateway_refund(refund_id: int) -> None:
    from .tasks import refund_at_gateway

    try:
        refund_at_gateway.delay(refund_id)
    except Exception:  # the broker is down: the nightly retry sends it
        log.warning("Không gửi được yêu cầu hoàn tiền %s tới hàng đợi.", refund_id, exc_info=True)


def send_requested_refund(refund_id: int) -> str:
    """Send a refund the platform recorded (a double payment) to the gateway; the answer is
    kept on the refund: ``done``, ``refused`` (for the accountant to settle by transfer), or it
    stays ``requested`` when the gateway cannot be reached (tried again later)."""
    entry = Refund.objects.select_related("payment").get(pk=refund_id)
    if entry.status != RefundStatus.REQUESTED:
        return entry.status
    try:
        result = _ask_gateway_to_refund(entry.payment, entry.amount, entry.reason, None)
    except ValidationError:
        return entry.status
    entry.status = RefundStatus.DONE if result.accepted else RefundStatus.REFUSED
    entry.gateway_code, entry.gateway_message = result.code, result.message
    entry.gateway_transaction_no = result.transaction_no
    entry.save(
        update_fields=["status", "gateway_code", "gateway_message", "gateway_transaction_no"]
    )
    audit.record(
        "payments.refund_sent",
        entry.payment,
        unit_id=entry.payment.unit_id,
        data={"refund_id": entry.pk, "status": entry.status, "gateway_code": result.code},
    )
    return entry.status


def refunds_to_transfer(user):
    """Refunds the gateway refused, waiting for the accountant of their unit to pay them back by
    bank transfer and confirm it (``confirm_transfer``): the payer is owed money until then."""
    return Refund.objects.filter(
        status=RefundStatus.REFUSED,
        payment__unit__in=acting_units(user, "payments.refund"),
    ).select_related("payment", "payment__dossier", "payment__dossier__procedure")


def confirm_transfer(refund: Refund, *, actor, reference: str) -> Refund:
    """The accountant confirms a refund the gateway refused was paid back by bank transfer,
    giving the transfer's voucher number; the refund is then settled and audited."""
    if not may(actor, "payments.refund", refund.payment.unit):
        raise PermissionDenied(_("Bạn không có quyền ghi nhận hoàn tiền cho đơn vị này."))
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": [_("Nhập số chứng từ chuyển khoản.")]})
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        if locked.status != RefundStatus.REFUSED:
            raise ValidationError(_("Khoản hoàn này không chờ chuyển khoản."))
        locked.status, locked.transfer_reference = RefundStatus.TRANSFERRED, reference[:100]
        locked.save(update_fields=["status", "transfer_reference"])
        audit.record(
            "payments.refund_transferred",
            refund.payment,
            unit_id=refund.payment.unit_id,
            data={"refund_id": locked.pk, "reference": locked.transfer_reference},
        )
    return locked
