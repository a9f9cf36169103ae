"""The one place that writes the audit log, and the check that the chain is intact."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .context import current_actor
from .models import AuditRecord

GENESIS = "0" * 64
_LOCK_ID = 4242_0001


def _canonical(record: AuditRecord) -> bytes:
    fields = {
        "at": record.at.isoformat(timespec="microseconds"),
        "actor_id": record.actor_id,
        "actor": record.actor,
        "ip": record.ip,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "object_repr": record.object_repr,
        "unit_id": record.unit_id,
        "data": record.data,
        "previous": record.previous_digest,
    }
    return json.dumps(fields, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def digest_of(record: AuditRecord) -> str:
    return hashlib.sha256(_canonical(record)).hexdigest()


def _serialise_writers() -> None:
    """Only one writer extends the chain at a time (PostgreSQL: a transaction advisory lock;
    SQLite already serialises writers)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])


def record(
    action: str,
    obj=None,
    *,
    unit_id: int | None = None,
    data: dict | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditRecord:
    """Append one record for ``action`` on ``obj``; call it inside the service's transaction."""
    actor = current_actor()
    with transaction.atomic():
        _serialise_writers()
        last = AuditRecord.objects.order_by("-id").values_list("digest", flat=True).first()
        entry = AuditRecord(
            at=timezone.now(),
            actor_id=actor.user_id,
            actor=actor.username,
            ip=actor.ip,
            action=action,
            object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=object_id or (str(obj.pk) if obj is not None else ""),
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
            unit_id=unit_id,
            data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
            previous_digest=last or GENESIS,
        )
        entry.digest = digest_of(entry)
        entry.save()
    return entry


@dataclass(frozen=True)
class Break:
    record_id: int
    reason: str


def verify(records: Iterator[AuditRecord] | None = None) -> list[Break]:
    """Walk the chain; report every record whose digest or link does not match."""
    breaks: list[Break] = []
    previous = GENESIS
    rows = records if records is not None else AuditRecord.objects.order_by("id").iterator()
    for entry in rows:
        if entry.previous_digest != previous:
            breaks.append(Break(entry.id, "liên kết với bản ghi trước bị đứt (bản ghi bị xoá?)"))
        if digest_of(entry) != entry.digest:
            breaks.append(Break(entry.id, "nội dung bản ghi đã bị sửa"))
        previous = entry.digest
    return breaks
