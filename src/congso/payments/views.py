"""Pages of online fee payment: the citizen's pay page, the return from the gateway, the
gateway's server-to-server notification (IPN), the e-receipt, and for officials the
reconciliation and the refund form. All changes go through ``services``."""

import datetime as dt
import logging

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.accounts.permissions import acting_units, may
from congso.core import formatting
from congso.core.downloads import XLSX, download
from congso.core.forms import UnitPeriodForm, add_service_errors, bind_period_form, period_slug
from congso.core.middleware import client_ip
from congso.onestop import services as onestop

from . import receipts, reports, services, settlement
from .forms import RefundForm, TransferForm
from .lifecycle import SETTLED
from .models import Payment, Refund, RefundStatus
from .providers.registry import get_provider

log = logging.getLogger(__name__)


def _own_dossier(request, code: str):
    dossier = (
        services.owned_dossiers(request.user)
        .select_related("procedure", "receiving_unit")
        .prefetch_related("payments")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def pay(request, code: str):
    """ "Thanh toán lệ phí": the amount and the procedure, and a button to the gateway."""
    dossier = _own_dossier(request, code)
    error = None
    if request.method == "POST":
        return_url = request.build_absolute_uri(reverse("payments:return"))
        try:
            url = services.start(
                dossier,
                actor=request.user,
                client_ip=client_ip(request) or "",
                return_url=return_url,
                notify_url=request.build_absolute_uri(reverse("payments:ipn")),
            )
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            return redirect(url)
    status = services.status_for(dossier)
    context = {
        "dossier": dossier,
        "status": status,
        "status_label": services.status_label(status),
        "problem": services.payable_problem(dossier),
        "error": error,
        "orders": services.orders_of(dossier),
    }
    return render(request, "payments/pay.html", context, status=400 if error else 200)


@login_required
@require_GET
@never_cache
def payment_return(request):
    """Where the gateway sends the browser back. The outcome shown is the order's state as the
    IPN set it; the browser's parameters only say what the gateway told the citizen."""
    payment, notice = services.read_return(request.GET.dict(), request.user)
    if payment is None:
        raise Http404(_("Không tìm thấy giao dịch."))
    context = {
        "payment": payment,
        "dossier": payment.dossier,
        "notice": notice,
        "status": services.status_for(payment.dossier),
        "settled": payment.state in SETTLED,
    }
    return render(request, "payments/return.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def ipn(request):
    """The gateway's notification: the provider reads its parameters (VNPay's GET query, a
    form or a JSON body) and shapes the answer it expects; never a 500, since the gateway
    retries until it reads an acknowledgement."""
    provider = get_provider()
    try:
        params = provider.notification_params(
            request.GET.dict(), request.body, request.content_type or ""
        )
        outcome = services.handle_notification(params)
    except Exception:  # the gateway must get an answer it understands, never a 500
        log.exception("IPN failed (%s)", provider.identifier)
        outcome = "error"
    reply = provider.ipn_reply(outcome)
    return HttpResponse(reply.body, content_type=reply.content_type, status=reply.status)


@login_required
@require_POST
def cash(request, code: str):
    """The desk records the fee paid in cash and issues the receipt."""
    dossier = (
        onestop.visible_dossiers(request.user)
        .filter(code=code, receiving_unit__in=acting_units(request.user, "payments.collect"))
        .first()
    )
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    try:
        payment = services.record_cash(dossier, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        flash.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        flash.success(
            request,
            _("Đã thu tiền mặt %(amount)s, biên lai số %(number)s.")
            % {"amount": formatting.money(payment.amount), "number": payment.receipt_number},
        )
    return redirect("onestop:dossier", dossier.code)


def _visible_payment(user, ref: str) -> Payment:
    found = services.visible_payments(user).select_related(
        "dossier", "dossier__procedure", "unit", "payer"
    )
    found = found.filter(pk=int(ref)) if ref.isdigit() else found.filter(ref=ref)
    payment = found.first()
    if payment is None:
        raise Http404(_("Không tìm thấy giao dịch."))
    return payment


@login_required
@require_GET
def receipt(request, ref: str):
    """The e-receipt (PDF) of a paid order, for its payer and the unit's officials."""
    payment = _visible_payment(request.user, ref[:40])
    if payment.state not in SETTLED:
        raise Http404(_("Giao dịch chưa được thanh toán nên chưa có biên lai."))
    return download(
        receipts.render(payment), "application/pdf", f"bien-lai-{payment.ref}.pdf", inline=True
    )


@login_required
@require_GET
def reconcile(request):
    """Reconciliation for a unit and period on screen, or as Excel (``format=xlsx``)."""
    units = acting_units(request.user, "payments.reconcile")
    if not units.exists():
        raise PermissionDenied(_("Bạn không có quyền đối soát thanh toán của đơn vị nào."))
    form = bind_period_form(request, UnitPeriodForm, units)
    result = None
    if form.is_valid():
        result = reports.reconcile(form.cleaned_data["unit"], form.period)
        if request.GET.get("format") == "xlsx":
            name = f"doi-soat-{result.unit.pk}-{period_slug(result.period)}.xlsx"
            return download(reports.to_xlsx(result), XLSX, name)
    return render(
        request,
        "payments/reconcile.html",
        {"form": form, "report": result},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def refund(request, pk: int):
    """An official records a refund of a paid order (reason, amount ≤ what is left)."""
    payment = (
        Payment.objects.select_related("dossier", "unit")
        .filter(pk=pk, unit__in=acting_units(request.user, "payments.view"))
        .first()
    )
    if payment is None:
        raise Http404(_("Không tìm thấy giao dịch."))
    if not may(request.user, "payments.refund", payment.unit):
        raise PermissionDenied(_("Bạn không có quyền ghi nhận hoàn tiền cho đơn vị này."))
    form = RefundForm(request.POST or None, initial={"amount": services.refundable(payment)})
    if request.method == "POST" and form.is_valid():
        try:
            services.refund(payment, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("onestop:dossier", payment.dossier.code)
    return _refund_page(request, payment, form=form)


def _transfer_form(refund_pk: int, data=None) -> TransferForm:
    """One form per refund to confirm, each with its own field ids."""
    return TransferForm(data, auto_id=f"id_%s_{refund_pk}")


def _refund_page(request, payment, *, form=None, transfer=None):
    form = form or RefundForm(initial={"amount": services.refundable(payment)})
    to_transfer = [
        (
            refund,
            transfer if transfer and transfer.refund_pk == refund.pk else _transfer_form(refund.pk),
        )
        for refund in payment.refunds.filter(status=RefundStatus.REFUSED)
    ]
    return render(
        request,
        "payments/refund.html",
        {
            "payment": payment,
            "form": form,
            "left": services.refundable(payment),
            "to_transfer": to_transfer,
        },
        status=400 if form.errors or (transfer and transfer.errors) else 200,
    )


@login_required
@require_POST
def confirm_transfer(request, pk: int):
    """The accountant confirms a refund the gateway refused was paid back by bank transfer."""
    refund = (
        Refund.objects.select_related("payment", "payment__dossier", "payment__unit")
        .filter(pk=pk, payment__unit__in=acting_units(request.user, "payments.view"))
        .first()
    )
    if refund is None:
        raise Http404(_("Không tìm thấy khoản hoàn tiền."))
    form = _transfer_form(refund.pk, request.POST)
    form.refund_pk = refund.pk
    if form.is_valid():
        try:
            services.confirm_transfer(refund, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            for message in form.non_field_errors():  # also when the refund left the list
                flash.error(request, message)
        else:
            flash.success(request, _("Đã ghi nhận hoàn tiền bằng chuyển khoản."))
            return redirect("payments:refund", refund.payment_id)
    return _refund_page(request, refund.payment, transfer=form)


@login_required
@require_GET
def settlement_report(request):
    """The gateway's settlement file of a day against our orders, for the finance officer."""
    units = acting_units(request.user, "payments.reconcile")
    if not units.exists():
        raise PermissionDenied(_("Bạn không có quyền đối soát thanh toán của đơn vị nào."))
    day, report, error = None, None, ""
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        error = _("Chọn ngày đối soát (năm-tháng-ngày).") if "day" in request.GET else ""
    if day is not None:
        try:
            report = settlement.reconcile_day(
                day, unit_ids=list(units.values_list("pk", flat=True))
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "payments/settlement.html",
        {"day": day, "report": report, "error": error},
        status=400 if error and "day" in request.GET and day is None else 200,
    )
