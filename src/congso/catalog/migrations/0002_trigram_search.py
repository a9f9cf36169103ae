"""Trigram search on PostgreSQL: the ``pg_trgm`` extension and GIN trigram indexes on the folded
text (token ``LIKE``) and the folded name (``<%`` word similarity, for misspelt queries).

``TrigramExtension`` does nothing on other databases; the indexes are created only on PostgreSQL,
so SQLite migrations run unchanged.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "catalog_procedure_search_trgm": "search_text",
    "catalog_procedure_name_trgm": "search_name",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON catalog_procedure "
                f"USING gin ({column} gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
