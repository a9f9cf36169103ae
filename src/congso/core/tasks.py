"""Background jobs of the core: the audit chain's daily anchor, the nightly sweep of files no
record refers to."""

from celery import shared_task
from django.conf import settings

from . import audit, orphans


@shared_task(acks_late=True, ignore_result=True)
def anchor_audit_chain() -> None:
    """Daily: copy the audit chain's head outside the database (``CONGSO_AUDIT_ANCHOR_FILE``)."""
    if settings.CONGSO_AUDIT_ANCHOR_FILE:
        audit.write_anchor(settings.CONGSO_AUDIT_ANCHOR_FILE)


@shared_task(acks_late=True, ignore_result=True)
def delete_orphan_files() -> int:
    return len(orphans.delete_orphan_files())


@shared_task(acks_late=True, ignore_result=True)
def build_export(pk: int) -> str:
    """Build one export an official asked for (``core.exports``)."""
    from . import exports

    return exports.build(pk)
