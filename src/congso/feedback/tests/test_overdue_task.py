"""The hourly beat job that alerts unit leaders of overdue complaints."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from congso.feedback import services, tasks
from congso.notify.models import Notification


def test_beat_runs_the_task():
    entry = settings.CELERY_BEAT_SCHEDULE["feedback-overdue-alerts"]
    assert entry["task"] == tasks.alert_overdue_complaints.name


def test_task_alerts_for_complaints_past_due(citizen, tree, officials):
    services.file_complaint(
        actor=citizen,
        kind="feedback",
        subject="Quá hạn",
        content="Nội dung",
        unit=tree["commune_a"],
        now=timezone.now() - dt.timedelta(days=30),
    )
    assert tasks.alert_overdue_complaints.apply().get() == 1
    assert Notification.objects.filter(
        template="feedback.overdue", user=officials["leader_a"]
    ).exists()
