"""The audit chain is keyed (HMAC with a key outside the database) and anchored outside it:
a rewrite recomputed without the key, or a log cut back after an anchor, is found."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from congso.core import audit, audit_triggers, tasks
from congso.core.models import AuditRecord

from .test_audit import _write

pytestmark = pytest.mark.django_db


def _as_attacker(*statements):
    """Someone with database rights: lift the append-only triggers, change, restore them."""
    audit_triggers.remove(connection)
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
    audit_triggers.install(connection)


def _set_chain(entry):
    return (
        "UPDATE core_auditrecord SET object_repr=%s, previous_digest=%s, digest=%s WHERE id=%s",
        [entry.object_repr, entry.previous_digest, entry.digest, entry.id],
    )


def _rewrite_without_the_key(first_id: int) -> None:
    """An attacker with database access changes one record and re-chains every later one the
    only way open to them: with an unkeyed hash."""
    rows = list(AuditRecord.objects.filter(id__gte=first_id).order_by("id"))
    previous = AuditRecord.objects.filter(id__lt=first_id).order_by("-id").first().digest
    rows[0].object_repr = "sửa"
    for entry in rows:
        entry.previous_digest = previous
        entry.digest = previous = audit.legacy_digest_of(entry)
    _as_attacker(*(_set_chain(entry) for entry in rows))


def test_digest_is_an_hmac_with_the_configured_key(settings):
    entry = _write(1)[0]
    assert entry.digest != hashlib.sha256(audit._canonical(entry)).hexdigest()
    settings.CONGSO_AUDIT_KEY = "another-key"
    assert [b.record_id for b in audit.verify()] == [entry.id]


def test_rewrite_recomputed_without_the_key_is_found():
    records = _write(4)
    _rewrite_without_the_key(records[1].id)
    assert {b.record_id for b in audit.verify()} == {r.id for r in records[1:]}


def test_removing_the_newest_records_is_found_against_the_anchor(tmp_path):
    anchors = tmp_path / "audit-anchor.txt"
    records = _write(3)
    call_command("audit_verify", anchor=str(anchors))
    assert anchors.read_text().split()[:2] == [str(records[-1].id), records[-1].digest]
    _as_attacker(("DELETE FROM core_auditrecord WHERE id>=%s", [records[1].id]))
    assert audit.verify() == []  # what is left is still a valid chain...
    with pytest.raises(CommandError):  # ...but not the one that was anchored
        call_command("audit_verify", check_anchor=str(anchors))


def test_anchor_check_passes_on_a_grown_chain(tmp_path, capsys):
    anchors = tmp_path / "audit-anchor.txt"
    _write(2)
    call_command("audit_verify", anchor=str(anchors))
    _write(2)
    call_command("audit_verify", anchor=str(anchors), check_anchor=str(anchors))
    assert "toàn vẹn: 4" in capsys.readouterr().out
    assert len(anchors.read_text().splitlines()) == 2


def test_daily_task_writes_the_anchor_where_configured(settings, tmp_path):
    settings.CONGSO_AUDIT_ANCHOR_FILE = str(tmp_path / "anchor")
    last = _write(2)[-1]
    tasks.anchor_audit_chain.apply()
    assert (tmp_path / "anchor").read_text().startswith(f"{last.id} {last.digest} ")
    assert "core-audit-anchor" in settings.CELERY_BEAT_SCHEDULE


def test_records_of_the_unkeyed_chain_are_rekeyed_after_verification():
    records, previous = _write(3), audit.GENESIS
    for entry in records:  # as the previous release wrote them
        entry.previous_digest = previous
        entry.digest = previous = audit.legacy_digest_of(entry)
    _as_attacker(*(_set_chain(entry) for entry in records))
    assert audit.verify() != []
    assert audit.rekey(AuditRecord.objects, connection) == 3
    assert audit.verify() == []
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:  # noqa: B017
        cursor.execute("DELETE FROM core_auditrecord")


def test_a_tampered_unkeyed_chain_is_not_rekeyed():
    entry = _write(1)[0]
    legacy = audit.legacy_digest_of(entry)
    _as_attacker(
        ("UPDATE core_auditrecord SET digest=%s, object_repr='sửa' WHERE id=%s", [legacy, entry.id])
    )
    with pytest.raises(RuntimeError, match="not re-keyed"):
        audit.rekey(AuditRecord.objects, connection)
