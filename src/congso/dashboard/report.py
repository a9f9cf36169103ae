"""The monthly report e-mailed to leaders: on the first of the month, every leader of a
district or province (and every commune chairman) gets last month's overview of their unit as
a PDF with the Excel workbook attached."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from congso.accounts.choices import Role
from congso.accounts.services import current_positions
from congso.org.choices import LOCALITY_KINDS

from . import board, exports
from .views import XLSX, chart_context


def recipients():
    """(leader, unit) for every active leader position at a locality with an e-mail address."""
    positions = (
        current_positions([Role.LEADER], unit__kind__in=LOCALITY_KINDS)
        .exclude(user__email="")
        .order_by("unit__path", "user_id")
    )
    return [(p.user, p.unit) for p in positions]


def message(user, unit, period: board.Period) -> EmailMessage:
    result = board.build(unit, period)
    context = {"board": result, "user": user}
    body = render_to_string("dashboard/monthly_email.txt", context)
    subject = render_to_string("dashboard/monthly_subject.txt", context).strip()
    email = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    email.attach(
        exports.filename(result, "pdf"),
        exports.pdf(result, chart_context(result)),
        "application/pdf",
    )
    email.attach(exports.filename(result, "xlsx"), exports.xlsx(result), XLSX)
    return email


def send_monthly(today: dt.date | None = None) -> int:
    """Send last month's report to every leader; returns how many were sent."""
    today = today or timezone.localdate()
    period = board.Period.of("month", today.replace(day=1) - dt.timedelta(days=1))
    sent = 0
    for user, unit in recipients():
        sent += message(user, unit, period).send()
    return sent
