"""The one place that writes the audit log, and the check that the chain is intact.

Each record's digest is an HMAC-SHA256, keyed with ``CONGSO_AUDIT_KEY`` (kept outside the
database), of its fields and the previous record's digest. Someone who can write the database but
does not hold the key cannot rewrite a record and recompute the digests after it. What the key
cannot show is the removal of the newest records (the shorter chain is still a valid chain): the
anchor, the head (id, digest, time) copied daily to a file outside the database, shows that.
"""

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
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
    key = settings.CONGSO_AUDIT_KEY.encode()
    return hmac.new(key, _canonical(record), hashlib.sha256).hexdigest()


def legacy_digest_of(record) -> str:
    """The unkeyed digest of records written before the chain was keyed (migration 0003)."""
    return hashlib.sha256(_canonical(record)).hexdigest()


def rekey(records, connection) -> int:
    """Re-chain ``records`` (a manager, possibly a migration's historical one) with the key.

    The old chain is verified first with its own rule, so the keyed chain never vouches for
    records already tampered with; the append-only triggers are lifted for the rewrite only.
    """
    from . import audit_triggers

    previous, rows = GENESIS, list(records.order_by("id"))
    for entry in rows:
        if entry.previous_digest != previous or legacy_digest_of(entry) != entry.digest:
            raise RuntimeError(f"audit record #{entry.id} fails the unkeyed chain: not re-keyed")
        previous = entry.digest
    audit_triggers.remove(connection)
    previous = GENESIS
    for entry in rows:
        entry.previous_digest = previous
        entry.digest = previous = digest_of(entry)
    records.bulk_update(rows, ["previous_digest", "digest"], batch_size=500)
    audit_triggers.install(connection)
    return len(rows)


def serialise_writers() -> None:
    """Only one writer extends the chain at a time (PostgreSQL: a transaction advisory lock,
    held to the end of the caller's transaction; SQLite already serialises writers).

    A service that takes another lock shared between transactions (a row of the queue-count
    table) and writes the audit log afterwards calls this *before* that lock: a writer holding
    the chain and waiting for the row, against one holding the row and waiting for the chain, is
    a deadlock; with the chain always taken first, the second writer waits instead."""
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
        serialise_writers()
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


def records():
    """Every audit record, as a queryset other apps filter (e.g. the payments reconciliation)."""
    return AuditRecord.objects.all()


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


@dataclass(frozen=True)
class Anchor:
    record_id: int
    digest: str
    at: str

    def line(self) -> str:
        return f"{self.record_id} {self.digest} {self.at}"


def head() -> Anchor | None:
    """The newest record, as the anchor file keeps it."""
    last = AuditRecord.objects.order_by("-id").values_list("id", "digest", "at").first()
    if last is None:
        return None
    return Anchor(last[0], last[1], last[2].isoformat(timespec="microseconds"))


def write_anchor(path: str | Path) -> Anchor | None:
    """Append the current head to ``path`` (a file outside the database)."""
    current = head()
    if current is not None:
        with Path(path).open("a", encoding="utf-8") as anchors:
            anchors.write(current.line() + "\n")
    return current


def check_anchors(path: str | Path) -> list[Break]:
    """Every anchored head must still be in the chain, unchanged: a missing one means the log
    was cut back, a different digest that it was rewritten from there."""
    breaks = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record_id, digest, _at = line.split(maxsplit=2)
        found = AuditRecord.objects.filter(id=int(record_id)).values_list("digest", flat=True)
        if not found:
            breaks.append(Break(int(record_id), "bản ghi đã neo không còn (nhật ký bị cắt bớt?)"))
        elif found[0] != digest:
            breaks.append(Break(int(record_id), "bản ghi đã neo khác bản neo (chuỗi bị viết lại?)"))
    return breaks
