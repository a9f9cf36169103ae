"""Background job of the partner event feed (beat ``api-webhooks``, every 30 seconds)."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def webhooks() -> dict:
    from . import webhooks as feed

    queued = feed.collect()
    return {"queued": queued, **feed.deliver()}
