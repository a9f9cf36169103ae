"""Trigram search on PostgreSQL: ``pg_trgm`` and a GIN trigram index on the folded search text,
so ``LIKE '%word%'`` is served by the index. Other databases migrate unchanged."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "documents_document_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents_document "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [TrigramExtension(), migrations.RunPython(create_index, drop_index)]
