"""A GIN trigram index on the folded search text of dossiers (PostgreSQL only).

The queue and API search filter ``search_text`` with ``LIKE '%word%'`` for every folded word; with
``gin_trgm_ops`` PostgreSQL answers that from the index instead of reading a million rows. The
``pg_trgm`` extension is created by the catalogue's migration (and again here, harmlessly); on
SQLite nothing happens.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "onestop_dossier_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON onestop_dossier "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("onestop", "0002_step_unit_dossier_index"), ("catalog", "0002_trigram_search")]
    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
