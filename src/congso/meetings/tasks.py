"""Background jobs of the briefings. Beat entries (in ``CELERY_BEAT_SCHEDULE``):
``congso.meetings.tasks.send_reminders`` every 5 minutes and
``congso.meetings.tasks.follow_up_tasks`` every hour. Both are safe to run again after a crash:
every notification carries a dedup key, so nobody is reminded twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def send_reminders() -> int:
    """Reminders one day and one hour before each scheduled meeting."""
    return services.send_reminders()


@shared_task(acks_late=True, ignore_result=True)
def follow_up_tasks() -> dict:
    """Overdue alerts and due-tomorrow reminders for the tasks from conclusions."""
    return {"overdue": services.mark_overdue(), "due_soon": services.remind_due_tasks()}
