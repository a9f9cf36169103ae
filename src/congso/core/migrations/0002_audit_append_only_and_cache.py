from django.core.management import call_command
from django.db import migrations

from congso.core import audit_triggers


def forwards(apps, schema_editor):
    """The database itself refuses to change or delete audit records."""
    audit_triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    audit_triggers.remove(schema_editor.connection)


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
