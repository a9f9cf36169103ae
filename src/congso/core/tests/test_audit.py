import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from congso.core import audit
from congso.core.context import AuditActor, acting_as
from congso.core.models import AppendOnlyError, AuditRecord

pytestmark = pytest.mark.django_db


def _write(n=3):
    with acting_as(AuditActor(user_id=7, username="motcua", ip="10.0.0.5")):
        return [
            audit.record(
                "test.action",
                object_type="x",
                object_id=str(i),
                object_repr=f"x{i}",
                unit_id=1,
                data={"i": i},
            )
            for i in range(n)
        ]


def test_records_who_what_where_and_chain():
    first, second, _third = _write()
    assert first.actor == "motcua" and first.ip == "10.0.0.5" and first.actor_id == 7
    assert first.previous_digest == audit.GENESIS
    assert second.previous_digest == first.digest
    assert audit.verify() == []


def test_model_refuses_update_and_delete():
    entry = _write(1)[0]
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_database_refuses_update_and_delete():
    entry = _write(1)[0]
    # the driver's error class differs between SQLite and PostgreSQL; the message does not
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:  # noqa: B017
        cursor.execute("UPDATE core_auditrecord SET action='x' WHERE id=%s", [entry.id])


def _tamper(sql, params):
    """Simulate an attacker with database access: lift the trigger, change, restore."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE core_auditrecord DISABLE TRIGGER core_auditrecord_append_only"
            )
            cursor.execute(sql, params)
            cursor.execute(
                "ALTER TABLE core_auditrecord ENABLE TRIGGER core_auditrecord_append_only"
            )
        else:
            cursor.execute("DROP TRIGGER core_auditrecord_no_update")
            cursor.execute("DROP TRIGGER core_auditrecord_no_delete")
            cursor.execute(sql, params)


def test_verify_finds_altered_record():
    records = _write()
    _tamper("UPDATE core_auditrecord SET object_repr='sửa' WHERE id=%s", [records[1].id])
    breaks = audit.verify()
    assert [b.record_id for b in breaks] == [records[1].id]
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_verify_finds_removed_record():
    records = _write()
    _tamper("DELETE FROM core_auditrecord WHERE id=%s", [records[1].id])
    breaks = audit.verify()
    assert [b.record_id for b in breaks] == [records[2].id]


def test_command_reports_intact_chain(capsys):
    _write()
    call_command("audit_verify")
    assert "toàn vẹn: 3" in capsys.readouterr().out
    assert AuditRecord.objects.count() == 3
