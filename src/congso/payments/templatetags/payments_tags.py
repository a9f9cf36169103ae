"""``{% payment_panel dossier as panel %}``: what the desk's dossier page shows about payments."""

from django import template

from congso.accounts.permissions import may

from .. import services

register = template.Library()


@register.simple_tag(takes_context=True)
def payment_panel(context, dossier) -> dict:
    status = services.status_for(dossier)
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "status": status,
        "label": services.status_label(status),
        "orders": services.orders_of(dossier),
        "can_refund": bool(user) and may(user, "payments.refund", dossier.receiving_unit),
        "can_collect": status in ("unpaid", "cancelled")
        and services.payable_problem(dossier) is None
        and bool(user)
        and may(user, "payments.collect", dossier.receiving_unit),
    }
