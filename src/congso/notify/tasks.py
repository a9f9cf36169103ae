"""Background jobs of the outbox. The beat schedule runs ``drain_outbox`` every 30 seconds and
``notify()`` asks for one right after its transaction commits."""

from dataclasses import asdict

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def drain_outbox() -> dict:
    """Send every due notification. Safe to run many at once and to run again after a crash:
    rows are claimed under a lease, so two workers never send the same row at the same time."""
    return asdict(services.drain_until_idle())


@shared_task(acks_late=True, ignore_result=True)
def remind_work() -> int:
    """Tell officials of their work due within one working day or late (each once)."""
    from . import work

    return work.remind()


@shared_task(acks_late=True, ignore_result=True)
def send_digests() -> int:
    """The morning digest of what waits, for the officials who want it (once a day)."""
    from . import work

    return work.send_digests()
