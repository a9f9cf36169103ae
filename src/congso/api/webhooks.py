"""The partner event feed: outbox-backed webhooks.

Events are the audit log's records (every state change is recorded there, with its unit), so
no app has to call anything: ``collect`` walks the log after each subscription's cursor and
queues a delivery for every record whose action starts with one of the subscription's event
prefixes (``onestop.`` dossier events, ``documents.`` document events) and whose unit is the
partner's unit or below it. ``deliver`` POSTs each one as JSON with
``X-CongSo-Signature: sha256=<hex>`` — HMAC-SHA256 with the subscription's secret over
``<X-CongSo-Timestamp>.<body>`` — and retries failures after 30 s, 1, 2, 4 … minutes (at most
6 hours) up to ``CONGSO_WEBHOOK_MAX_ATTEMPTS``; each delivery row is the log (status code, error,
attempts). A delivery carries the event's identity (action, object type, ID and label, unit,
time), never the audit record's details, which may hold personal data: the partner reads those
through the API with its own scopes.

The secret must be used as it is to sign, so it cannot be hashed: it is kept **sealed**
(``core.sealing``: AES-256-GCM under a key derived from ``SECRET_KEY`` by HKDF), so a copy
of the database alone does not let anyone forge deliveries. An administrator may **redeliver**
a delivery (``redeliver``): it is sent again at the next run, its attempts counted afresh.
"""

import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit, outbox, sealing
from congso.core.models import AuditRecord
from congso.core.sealing import SEALED  # noqa: F401 - migration 0003 reads it here
from congso.org.services import subtree_ids

from .models import PartnerClient, WebhookDelivery, WebhookSubscription
from .partners import require_admin

#: Event prefixes a partner may subscribe to.
EVENTS = ("onestop.", "documents.", "payments.")
State = WebhookDelivery.State


def seal(secret: str) -> str:
    """The subscription's secret sealed for storage (``core.sealing``)."""
    return sealing.seal(secret, "webhook")


def unseal(stored: str) -> str:
    """The secret back from storage; ``ValueError`` if it was sealed under another key."""
    return sealing.unseal(stored, "webhook")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature partners check: HMAC-SHA256 of ``timestamp.body``, hex."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def subscribe(
    client: PartnerClient, url: str, events=EVENTS[:2]
) -> tuple[WebhookSubscription, str]:
    """A subscription and its secret (shown once). Only https addresses outside development."""
    url = (url or "").strip()
    if not url.startswith("https://") and not (settings.DEBUG or not settings.PRODUCTION):
        raise ValidationError({"url": [_("Địa chỉ nhận sự kiện phải dùng https.")]})
    if not url.startswith(("https://", "http://")):
        raise ValidationError({"url": [_("Địa chỉ nhận sự kiện không hợp lệ.")]})
    events = [e for e in events if e in EVENTS]
    if not events:
        raise ValidationError({"events": [_("Chọn ít nhất một loại sự kiện.")]})
    secret = secrets.token_urlsafe(32)
    last = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    subscription = WebhookSubscription.objects.create(
        client=client, url=url, secret=seal(secret), events=events, cursor=last
    )
    audit.record(
        "api.webhook.subscribe",
        subscription,
        unit_id=client.unit_id,
        data={"url": url, "events": events},
    )
    return subscription, secret


def _payload(record: AuditRecord) -> dict:
    return {
        "id": record.pk,
        "event": record.action,
        "at": record.at.isoformat(),
        "object": {
            "type": record.object_type,
            "id": record.object_id,
            "label": record.object_repr,
        },
        "unit_id": record.unit_id,
    }


def collect(*, batch: int = 500) -> int:
    """Queue the new events for every active subscription; how many were queued."""
    queued = 0
    for subscription in WebhookSubscription.objects.filter(is_active=True, client__is_active=True):
        units = set(subtree_ids(subscription.client.unit))
        records = list(
            AuditRecord.objects.filter(id__gt=subscription.cursor).order_by("id")[:batch]
        )
        with transaction.atomic():
            for record in records:
                if record.unit_id in units and record.action.startswith(tuple(subscription.events)):
                    _, created = WebhookDelivery.objects.get_or_create(
                        subscription=subscription,
                        event_id=record.pk,
                        defaults={"event": record.action, "payload": _payload(record)},
                    )
                    queued += created
            if records:
                WebhookSubscription.objects.filter(pk=subscription.pk).update(cursor=records[-1].pk)
    return queued


def backoff(attempts: int) -> dt.timedelta:
    """30 s, then 1, 2, 4 … minutes, at most 6 hours: a partner's system may be down longer than
    a national one."""
    return outbox.backoff(attempts, base=30, cap=6 * 3600)


def _post(subscription: WebhookSubscription, delivery: WebhookDelivery) -> int:
    body = json.dumps(delivery.payload, ensure_ascii=False).encode()
    timestamp = str(int(timezone.now().timestamp()))
    request = urllib.request.Request(  # noqa: S310 - scheme checked at subscription
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-CongSo-Event": delivery.event,
            "X-CongSo-Delivery": str(delivery.pk),
            "X-CongSo-Timestamp": timestamp,
            "X-CongSo-Signature": "sha256=" + sign(unseal(subscription.secret), timestamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=settings.CONGSO_WEBHOOK_TIMEOUT) as answer:  # noqa: S310
        return answer.status


def deliver(*, now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send the due deliveries; counts of ``delivered``, ``retry`` and ``failed``."""
    now = now or timezone.now()
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    due = (
        WebhookDelivery.objects.filter(state=State.PENDING)
        .exclude(next_attempt_at__gt=now)
        .select_related("subscription")
        .order_by("event_id", "pk")[:limit]
    )
    for delivery in due:
        delivery.attempts += 1
        try:
            status = _post(delivery.subscription, delivery)
            error = ""
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"HTTP {exc.code}"
        except (OSError, ValueError) as exc:
            status, error = None, str(exc)[:300]
        delivery.last_status, delivery.last_error = status, error
        if status is not None and 200 <= status < 300:
            delivery.state, delivery.delivered_at, delivery.next_attempt_at = (
                State.DELIVERED,
                now,
                None,
            )
            counts["delivered"] += 1
        elif delivery.attempts >= settings.CONGSO_WEBHOOK_MAX_ATTEMPTS:
            delivery.state, delivery.next_attempt_at = State.FAILED, None
            counts["failed"] += 1
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            counts["retry"] += 1
        delivery.save()
    return counts


@transaction.atomic
def redeliver(actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again at the next run (a partner fixed its endpoint, or lost one):
    pending, due now, attempts counted afresh. Audited; system administrators only."""
    require_admin(actor)
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.state, delivery.next_attempt_at, delivery.attempts = State.PENDING, None, 0
    delivery.save(update_fields=["state", "next_attempt_at", "attempts"])
    audit.record(
        "api.webhook.redeliver",
        delivery.subscription,
        unit_id=delivery.subscription.client.unit_id,
        data={"delivery": delivery.pk, "event_id": delivery.event_id},
    )
    return delivery
