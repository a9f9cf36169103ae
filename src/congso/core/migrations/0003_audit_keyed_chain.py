"""Re-chain the audit records written before the chain was keyed (plain SHA-256) with the
HMAC of ``CONGSO_AUDIT_KEY``, after verifying them with the old rule (a broken old chain stops
the migration: investigate it with the previous release's ``audit_verify``)."""

from django.db import migrations

from congso.core import audit


def forwards(apps, schema_editor):
    audit.rekey(apps.get_model("core", "AuditRecord").objects, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only_and_cache")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
