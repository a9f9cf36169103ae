"""Morning alerts: the handler of a document due by the next working day or overdue is told once
a day; a document due later is left alone."""

import datetime as dt

import pytest
from django.utils import timezone

from congso.documents import alerts, services
from congso.documents.models import Document
from congso.notify.models import Notification

pytestmark = pytest.mark.django_db


def _assigned(tree, people, pdf_upload, due_on):
    arrival = services.Arrival(
        unit=tree["commune_a"], doc_type="CV", subject="V/v báo cáo", author="Sở Nội vụ"
    )
    document = services.register_upload(arrival, pdf_upload(), actor=people["clerk_a"])
    document = services.transition(document, "present", actor=people["clerk_a"])
    return services.transition(
        document,
        "assign",
        actor=people["leader_a"],
        lead_unit=tree["commune_a"],
        lead_user=people["specialist_a"],
        due_on=due_on,
    )


def test_due_and_overdue_alerts(tree, people, pdf_upload):
    today = timezone.localdate()
    overdue = _assigned(tree, people, pdf_upload, today)
    Document.objects.filter(pk=overdue.pk).update(due_on=today - dt.timedelta(days=2))
    _assigned(tree, people, pdf_upload, today + dt.timedelta(days=30))
    assert alerts.send_due_alerts(today) == 1
    assert alerts.send_due_alerts(today) == 1
    rows = Notification.objects.filter(user=people["specialist_a"], template="generic")
    assert rows.count() == rows.values("channel").distinct().count()  # deduplicated per day
    assert "quá hạn" in rows.first().context["subject"]
