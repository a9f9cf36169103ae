"""The system administrator's pages for partner events: webhook subscriptions (create — the
secret shown once —, the delivery log, redeliver)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congso.accounts import permissions as rights
from congso.core.forms import add_service_errors

from . import webhooks
from .models import PartnerClient, WebhookDelivery, WebhookSubscription
from .partners import MANAGE_ACTION

EVENT_LABELS = {
    "onestop.": gettext_lazy("Hồ sơ thủ tục hành chính"),
    "documents.": gettext_lazy("Văn bản"),
    "payments.": gettext_lazy("Thanh toán"),
}


class SubscriptionForm(forms.Form):
    client = forms.ModelChoiceField(
        label=gettext_lazy("Hệ thống đối tác"),
        queryset=PartnerClient.objects.filter(is_active=True).order_by("name"),
    )
    url = forms.CharField(label=gettext_lazy("Địa chỉ nhận sự kiện"), max_length=500)
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Loại sự kiện"),
        choices=list(EVENT_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        initial=list(webhooks.EVENTS[:2]),
    )


def _require(request) -> None:
    if not rights.may(request.user, MANAGE_ACTION):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được quản lý hệ thống đối tác."))


@login_required
def subscriptions(request):
    _require(request)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subscription, secret = webhooks.subscribe(data["client"], data["url"], data["events"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # the only time the secret is shown: the page is not cached, nothing keeps it
            response = render(
                request,
                "api/webhook_created.html",
                {"subscription": subscription, "secret": secret},
            )
            response["Cache-Control"] = "no-store"
            return response
    rows = (
        WebhookSubscription.objects.select_related("client")
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__state="delivered")),
            pending=Count("deliveries", filter=Q(deliveries__state="pending")),
            failed=Count("deliveries", filter=Q(deliveries__state="failed")),
        )
        .order_by("-pk")
    )
    return render(request, "api/webhooks.html", {"form": form, "subscriptions": rows})


@login_required
def deliveries(request, pk: int):
    _require(request)
    subscription = get_object_or_404(WebhookSubscription.objects.select_related("client"), pk=pk)
    log = subscription.deliveries.order_by("-pk")[:100]
    return render(
        request, "api/webhook_deliveries.html", {"subscription": subscription, "log": log}
    )


@login_required
@require_POST
def redeliver(request, pk: int):
    _require(request)
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("subscription"), pk=pk)
    webhooks.redeliver(request.user, delivery)
    messages.success(request, _("Sự kiện sẽ được gửi lại trong lượt gửi tới."))
    return redirect("partners:webhook_deliveries", delivery.subscription_id)
