"""Background jobs of the dashboard: keep the daily facts fresh (``dashboard-refresh-facts``
every ten minutes for stale days, ``dashboard-nightly-facts`` after midnight for yesterday and
today) and e-mail the monthly report to leaders (``dashboard-monthly-report``)."""

from celery import shared_task

from . import store


@shared_task(acks_late=True, ignore_result=True)
def refresh_stale_facts() -> int:
    return store.refresh_stale()


@shared_task(acks_late=True, ignore_result=True)
def refresh_recent_facts() -> int:
    return store.refresh_recent()


@shared_task(acks_late=True, ignore_result=True)
def send_monthly_report() -> int:
    from . import report

    return report.send_monthly()
