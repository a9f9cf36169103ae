"""Background jobs of the documents app: OCR of incoming files (the request stays fast) and the
morning due-soon and overdue alerts (beat entry ``documents-due-alerts``)."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def extract_text(version_id: int) -> int:
    """Read the text of one stored file (PDF text layer, else OCR) and index it."""
    from . import ocr, services
    from .models import Version

    version = Version.objects.filter(pk=version_id).first()
    if version is None:
        return 0
    text = ocr.extract_text(version.read(), version.content_type)
    if text:
        services.store_text(version_id, text)
    return len(text)


@shared_task(acks_late=True, ignore_result=True)
def send_due_alerts() -> int:
    from . import alerts

    return alerts.send_due_alerts()


@shared_task(acks_late=True, ignore_result=True)
def exchange_drain() -> dict:
    """Send the queued edXML messages to the exchange axis (beat: every minute, and right
    after a message is queued)."""
    from .exchange import services

    return services.drain()


@shared_task(acks_late=True, ignore_result=True)
def exchange_pull() -> dict:
    """Fetch the packages and statuses the exchange axis holds for our organs (every minute)."""
    from .exchange import services

    return services.pull()


@shared_task(acks_late=True, ignore_result=True)
def mailbox_fetch() -> dict:
    """Read the organs' official mailboxes over IMAP (every two minutes); idempotent on
    UIDVALIDITY and UID, so a redelivered job keeps nothing twice."""
    from . import mailbox

    return mailbox.fetch_all()
