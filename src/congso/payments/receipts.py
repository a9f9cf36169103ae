"""The electronic receipt of a paid order (PDF, WeasyPrint), printed from what the order holds so
a receipt downloaded again later says the same thing."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from congso.core import formatting
from congso.onestop.printing import issuer, place_and_date

from .models import Payment

PROVIDER_NAMES = {"vnpay": "VNPAY", "cash": _("Tiền mặt tại Bộ phận Một cửa")}


def context(payment: Payment) -> dict:
    dossier = payment.dossier
    upper, lower = issuer(payment.unit)
    return {
        "payment": payment,
        "dossier": dossier,
        "issuer_upper": upper,
        "issuer_lower": lower,
        "place_date": place_and_date(payment.unit, payment.paid_at),
        "amount": formatting.money(payment.amount),
        "paid_at": formatting.datetime(payment.paid_at),
        "gateway": PROVIDER_NAMES.get(payment.provider, payment.provider),
        "payer": dossier.applicant_name,
        "title": _("Biên lai thu phí, lệ phí điện tử"),
        "page": "A5",
    }


def html(payment: Payment) -> str:
    return render_to_string("payments/pdf/receipt.html", context(payment))


def render(payment: Payment) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(payment)).write_pdf()
