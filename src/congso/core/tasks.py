"""Background jobs of the core: the nightly sweep of files no record refers to."""

from celery import shared_task

from . import orphans


@shared_task(ignore_result=True)
def delete_orphan_files() -> int:
    return len(orphans.delete_orphan_files())
