"""Scheduled work of the feedback app. Beat entry (in ``CELERY_BEAT_SCHEDULE``):
``congso.feedback.tasks.alert_overdue_complaints`` every hour; safe to run again after a crash
(each complaint alerts once, and each notice carries a dedup key)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def alert_overdue_complaints() -> int:
    """Each complaint whose answer is overdue alerts its unit's leaders once."""
    return services.alert_overdue()
