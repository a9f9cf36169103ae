"""The only code that changes notifications: queueing them, draining the outbox, read marks.

``notify`` writes outbox rows in the caller's transaction, so a notification exists exactly when
the business change that caused it was committed. ``drain`` runs in workers: it claims due rows
under a lease, sends them, and records the outcome; a row whose worker died is claimed again when
its lease runs out. Delivery is therefore at-least-once; e-mails carry a stable Message-ID and SMS
a stable reference so receivers can drop the rare duplicate.
"""

import base64
import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from congso.accounts.identity import normalise_phone
from congso.core import audit, headcount, outbox

from . import rendering
from .channels import PermanentFailure, Senders
from .models import Channel, Notification, Status

logger = logging.getLogger(__name__)


def max_attempts() -> int:
    return settings.NOTIFY_MAX_ATTEMPTS


def batch_size() -> int:
    return settings.NOTIFY_BATCH_SIZE


def lease_seconds() -> int:
    return settings.NOTIFY_LEASE_SECONDS


def retry_delay(attempt: int, base: float | None = None, cap: float | None = None) -> timedelta:
    """Exponential backoff after the ``attempt``-th failed try: base, 2×base, 4×base… up to cap.

    With the defaults (60 s, capped at 1 h) eight attempts span about three hours, long enough to
    ride out a mail-server restart or a gateway outage without hammering it."""
    base = float(settings.NOTIFY_RETRY_BASE_SECONDS if base is None else base)
    cap = float(settings.NOTIFY_RETRY_MAX_SECONDS if cap is None else cap)
    return outbox.backoff(attempt, base=base, cap=cap)


# --- Queueing -------------------------------------------------------------------------------


class _LenientEncoder(DjangoJSONEncoder):
    """Keep what JSON can hold; anything else (a model instance…) is stored as its text."""

    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _json_safe(context: dict) -> dict:
    return json.loads(json.dumps(context, cls=_LenientEncoder, ensure_ascii=False))


def classify_address(address: str) -> tuple[str, str]:
    """``(channel, normalised address)`` for an e-mail address or a Vietnamese phone number."""
    address = (address or "").strip()
    if "@" in address:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValidationError(
                _("Địa chỉ thư điện tử không hợp lệ: %(a)s") % {"a": address}
            ) from exc
        return Channel.EMAIL, address
    return Channel.SMS, normalise_phone(address)


def _address_for(recipient, channel: str) -> str | None:
    """Where ``channel`` reaches ``recipient``, or ``None`` if it does not."""
    if isinstance(recipient, str):
        kind, address = classify_address(recipient)
        return address if kind == channel else None
    if channel == Channel.IN_APP:
        return ""
    if channel == Channel.EMAIL:
        return recipient.email or None
    return normalise_phone(recipient.phone) if recipient.phone else None


def _default_channels(recipient) -> list[str]:
    """A user gets in-app and e-mail; SMS costs money, so callers ask for it by name.
    A bare address gets the one channel it is."""
    if isinstance(recipient, str):
        return [classify_address(recipient)[0]]
    return [Channel.IN_APP, Channel.EMAIL]


def _choose_channels(recipient, rendered: rendering.Rendered, channels) -> list[str]:
    if channels is None:
        return [c for c in _default_channels(recipient) if rendered.supports(c)]
    chosen = list(dict.fromkeys(channels))
    for channel in chosen:
        if channel not in Channel.values:
            raise ValidationError(_("Kênh thông báo không hợp lệ: %(c)s") % {"c": channel})
        if not rendered.supports(channel):
            raise ValidationError(
                _("Mẫu thông báo này không có nội dung cho kênh %(c)s.") % {"c": channel}
            )
    return chosen


def _attachments(attachments) -> list[dict]:
    """``(filename, content, content_type)`` tuples (Django's convention) or ready dicts
    ``{filename, content_type, base64}`` → JSON-storable dicts, size-checked."""
    limit = settings.NOTIFY_MAX_ATTACHMENT_BYTES
    stored, total = [], 0
    for item in attachments or []:
        if isinstance(item, dict):
            filename, content_type = item["filename"], item.get("content_type", "")
            content = base64.b64decode(item["base64"])
        else:
            filename, content, content_type = item
            content = content.encode() if isinstance(content, str) else bytes(content)
        total += len(content)
        stored.append(
            {
                "filename": os.path.basename(filename) or "tep-dinh-kem",
                "content_type": content_type or "application/octet-stream",
                "base64": base64.b64encode(content).decode(),
            }
        )
    if total > limit:
        raise ValidationError(
            _("Tệp đính kèm quá lớn: %(size)s byte (tối đa %(limit)s byte).")
            % {"size": total, "limit": limit}
        )
    return stored


def _safe_url(url: str) -> str:
    """Only site paths and web addresses may become a link in the inbox."""
    parts = urlsplit(url)
    web_address = parts.scheme in {"http", "https"} and bool(parts.netloc)
    if url and not (web_address or url_has_allowed_host_and_scheme(url, allowed_hosts=None)):
        raise ValidationError(_("Liên kết của thông báo không hợp lệ."))
    return url


def _content(channel: str, rendered: rendering.Rendered, attachments: list[dict]) -> dict:
    """What differs between the channels: the text used, attachments, and the in-app rows that
    are delivered by being written."""
    if channel == Channel.SMS:
        return {"subject": "", "body": rendered.sms or "", "attachments": []}
    content = {"subject": rendered.subject or "", "body": rendered.body or ""}
    if channel == Channel.EMAIL:
        return {**content, "attachments": attachments}
    return {**content, "attachments": [], "status": Status.SENT, "sent_at": timezone.now()}


def _build_rows(recipient, template, context, channels, attachments, dedup_key):
    """Unsaved outbox rows, one per channel the recipient can be reached on."""
    rendered = rendering.render(template, context)
    now = timezone.now()
    shared = {
        "user": None if isinstance(recipient, str) else recipient,
        "template": template,
        "url": _safe_url(str(context.get("url") or "")),
        "context": _json_safe(context),
        "dedup_key": dedup_key,
        "created_at": now,
        "next_attempt_at": now,
    }
    rows = []
    for channel in _choose_channels(recipient, rendered, channels):
        address = _address_for(recipient, channel)
        if address is not None:
            content = _content(channel, rendered, attachments)
            rows.append(Notification(channel=channel, address=address, **shared, **content))
    return rows


def _insert_once(row: Notification) -> tuple[Notification, bool]:
    """Insert, or return the row already queued under the same dedup key and channel. The
    savepoint keeps the caller's transaction usable when a concurrent caller won the race."""
    if row.dedup_key is None:
        row.save()
        return row, True
    existing = Notification.objects.filter(dedup_key=row.dedup_key, channel=row.channel).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        existing = Notification.objects.filter(dedup_key=row.dedup_key, channel=row.channel).first()
        if existing is None:
            raise
        return existing, False
    return row, True


def _kick_worker() -> None:
    """Ask a worker to drain now. If the broker is down the beat schedule drains within 30 s,
    so a failure here must never break the request that queued the message."""
    from .tasks import drain_outbox

    try:
        drain_outbox.delay()
    except Exception:
        logger.warning("Không gửi được yêu cầu xử lý hàng đợi thông báo.", exc_info=True)


def notify(
    recipient,
    template: str,
    context: dict | None = None,
    channels=None,
    dedup_key: str | None = None,
    attachments=None,
) -> list[Notification]:
    """Queue ``template`` for ``recipient`` (a ``User`` or an e-mail address / phone number).

    Call it inside your own transaction: the rows commit or roll back with your change. Without
    ``channels``, a user gets in-app + e-mail (when they have an address) and a bare address gets
    its own channel; SMS to a user must be asked for by name. A channel the recipient cannot be
    reached on (no e-mail, no phone) is skipped. ``dedup_key`` makes the call idempotent per
    channel — include the recipient in it. ``context["url"]`` becomes the in-app link. Returns the
    rows (already-queued ones when deduplicated).
    """
    if not isinstance(recipient, str | get_user_model()):
        raise ValidationError(_("Thông báo cần người nhận hoặc địa chỉ nhận."))
    context = dict(context or {})
    unsaved = _build_rows(
        recipient, template, context, channels, _attachments(attachments), dedup_key
    )
    rows, created = [], []
    with transaction.atomic():
        for candidate in unsaved:
            row, is_new = _insert_once(candidate)
            rows.append(row)
            if is_new:
                created.append(row)
        if created:
            audit.record(
                "notify.enqueue",
                object_type="notify.notification",
                object_id=str(created[0].pk),
                object_repr=template,
                data={
                    "template": template,
                    "user": getattr(recipient, "pk", None),
                    "ids": [r.pk for r in created],
                    "channels": [r.channel for r in created],
                },
            )
        if any(r.status == Status.PENDING for r in created):
            transaction.on_commit(_kick_worker)
        for user_id in {r.user_id for r in created if r.channel == Channel.IN_APP and r.user_id}:
            transaction.on_commit(lambda user_id=user_id: headcount.forget(BELL, user_id))
    return rows


# --- Draining -------------------------------------------------------------------------------


@dataclass
class DrainResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    dead: int = 0
    lost_lease: int = 0

    def add(self, other: "DrainResult") -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


def claim(batch: int = 50, lease: int | None = None) -> list[Notification]:
    """Take up to ``batch`` due rows for this worker until ``now + lease``.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets concurrent workers take disjoint rows without
    waiting. SQLite: the transaction takes the write lock at BEGIN, so claims are serialised.
    Each claim counts as an attempt, so a message that kills its worker every time still ends.
    """
    now = timezone.now()
    until = now + timedelta(seconds=lease or lease_seconds())
    with transaction.atomic():
        ids = list(
            Notification.objects.due(now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            return []
        Notification.objects.filter(id__in=ids).update(
            status=Status.SENDING, locked_until=until, attempts=F("attempts") + 1
        )
        return list(Notification.objects.filter(id__in=ids).order_by("next_attempt_at", "id"))


def _mine(row: Notification):
    """The row as long as it is still this worker's claim (``attempts`` is the fencing token)."""
    return Notification.objects.filter(pk=row.pk, attempts=row.attempts, status=Status.SENDING)


def _renew_lease(row: Notification, lease: int) -> bool:
    until = timezone.now() + timedelta(seconds=lease)
    return _mine(row).filter(locked_until__gt=timezone.now()).update(locked_until=until) == 1


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _record_failure(row: Notification, exc: Exception) -> DrainResult:
    error = _describe(exc)
    give_up = isinstance(exc, PermanentFailure) or row.attempts >= max_attempts()
    if not give_up:
        _mine(row).update(
            status=Status.FAILED,
            locked_until=None,
            last_error=error,
            next_attempt_at=timezone.now() + retry_delay(row.attempts),
        )
        return DrainResult(retried=1)
    with transaction.atomic():
        if _mine(row).update(status=Status.DEAD, locked_until=None, last_error=error):
            audit.record(
                "notify.dead",
                row,
                data={"channel": row.channel, "attempts": row.attempts, "error": error},
            )
    return DrainResult(dead=1)


def _deliver(row: Notification, senders: Senders, lease: int) -> DrainResult:
    if not _renew_lease(row, lease):
        return DrainResult(lost_lease=1)
    try:
        provider_id = senders.send(row)
    except Exception as exc:
        logger.warning("Gửi thông báo #%s thất bại (lần %s): %s", row.pk, row.attempts, exc)
        return _record_failure(row, exc)
    _mine(row).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        locked_until=None,
        last_error="",
        provider_message_id=(provider_id or "")[:255],
    )
    return DrainResult(sent=1)


def drain(batch: int | None = None, *, lease: int | None = None) -> DrainResult:
    """Claim and send one batch of due notifications; returns the counts."""
    batch = batch or batch_size()
    lease = lease or lease_seconds()
    rows = claim(batch, lease)
    result = DrainResult(claimed=len(rows))
    senders = Senders()
    try:
        for row in rows:
            result.add(_deliver(row, senders, lease))
    finally:
        senders.close()
    return result


def drain_until_idle(batch: int | None = None, *, max_batches: int = 20) -> DrainResult:
    """Drain batch after batch while batches come back full (bounded, so one task cannot run
    forever; the beat schedule starts the next one)."""
    batch = batch or batch_size()
    total = DrainResult()
    for _round in range(max_batches):
        result = drain(batch)
        total.add(result)
        if result.claimed < batch:
            break
    return total


def requeue_dead(ids=None) -> int:
    """Give dead notifications a fresh set of attempts (after the operator fixed the cause)."""
    with transaction.atomic():
        rows = Notification.objects.filter(status=Status.DEAD)
        if ids is not None:
            rows = rows.filter(pk__in=list(ids))
        picked = list(rows.values_list("pk", flat=True))
        count = Notification.objects.filter(pk__in=picked).update(
            status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), locked_until=None
        )
        if count:
            audit.record(
                "notify.requeue",
                object_type="notify.notification",
                object_id=str(picked[0]),
                object_repr=f"{count} thông báo",
                data={"ids": picked},
            )
            transaction.on_commit(_kick_worker)
    return count


def pending_count() -> int:
    return Notification.objects.filter(
        status__in=[Status.PENDING, Status.FAILED, Status.SENDING]
    ).count()


def queued_count(dedup_prefix: str) -> int:
    """How many notifications were ever queued under a dedup key starting with
    ``dedup_prefix``, whatever became of them: a sender counts what one run added (before and
    after) without reading the outbox's table."""
    return Notification.objects.filter(dedup_key__startswith=dedup_prefix).count()


# --- Reading (in-app) -----------------------------------------------------------------------


#: The bell's count in the header (``core.headcount``): forgotten when a row arrives or is read.
BELL = "bell"


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.inbox_of(user).unread().count()


def bell_count(user) -> int:
    """The unread count the header's bell shows, cached like the inbox's count."""
    return headcount.cached(BELL, user, lambda: unread_count(user))


def mark_read(user, notification_id: int) -> Notification:
    """Mark one of ``user``'s own in-app notifications read; anyone else's is a 404, so its
    existence is not revealed."""
    row = get_object_or_404(Notification.objects.inbox_of(user), pk=notification_id)
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
        headcount.forget(BELL, user.pk)
    return row


def mark_all_read(user) -> int:
    count = Notification.objects.inbox_of(user).unread().update(read_at=timezone.now())
    headcount.forget(BELL, user.pk)
    return count


def save_preference(user, preference) -> None:
    """Store how ``user`` wants to be told about work (their own choice only)."""
    preference.user = user
    with transaction.atomic():
        preference.save()
        audit.record(
            "notify.preference",
            object_type="notify.preference",
            object_id=str(preference.pk),
            object_repr=str(user),
            data={
                "email": preference.email,
                "sms_urgent": preference.sms_urgent,
                "due_reminders": preference.due_reminders,
                "digest": preference.digest,
            },
        )


def backlog() -> tuple:
    """The outbox's backlog for monitoring, ``(count, oldest)``: how many notifications are not
    sent yet (waiting, to retry, being sent) and when the oldest of them was queued (or None)."""
    from django.db.models import Count, Min

    figures = Notification.objects.filter(
        status__in=[Status.PENDING, Status.FAILED, Status.SENDING]
    ).aggregate(count=Count("id"), oldest=Min("created_at"))
    return figures["count"], figures["oldest"]
