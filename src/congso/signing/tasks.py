"""Scheduled signing jobs."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def renew_archive_timestamps() -> int:
    """Daily: add a document time-stamp to B-LTA files whose last one is about to expire."""
    from .archive import renew_archives

    return renew_archives()
