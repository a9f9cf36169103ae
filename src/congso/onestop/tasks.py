"""Background jobs of the one-stop shop. ``send_due_alerts`` runs every day at 07:00 (beat entry
``onestop-due-alerts``)."""

import datetime as dt

from celery import shared_task

from . import alerts


@shared_task(acks_late=True, ignore_result=True)
def send_due_alerts(at: str | None = None) -> dict:
    """Warn handlers and leaders of dossiers due within one working day and overdue. Safe to run
    again the same day: each message is deduplicated per dossier, recipient and date. ``at`` (an
    ISO 8601 instant) replays a missed morning; the beat schedule passes nothing (now)."""
    outcome = alerts.send_due_alerts(dt.datetime.fromisoformat(at) if at else None)
    return {"dossiers": outcome.dossiers, "alerts": outcome.alerts}


@shared_task(acks_late=True, ignore_result=True)
def portal_sync() -> dict:
    """Queue each dossier changed since the last run for the national portal, then send what is
    due (beat ``onestop-portal-sync``: every minute)."""
    from .portalsync import services

    return {"queued": services.collect(), **services.drain()}


@shared_task(acks_late=True, ignore_result=True)
def reconcile_queue_counts() -> dict:
    """Repair the work queues' counter table from a recount (beat ``onestop-queue-counts``: every
    night); the number of rows that were wrong is logged by Celery and should be 0."""
    from . import queue_counts

    return {"repaired": queue_counts.reconcile()}
