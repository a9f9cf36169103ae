"""Criterion 1.4 counts the dossiers the national portal acknowledged, no longer those that could
be synced: the fact column says so. Its old values counted something else, so they are zeroed —
the next refresh (``recompute_facts`` or the nightly pass) writes the acknowledged counts."""

from django.db import migrations


def zero(apps, schema_editor):
    for name in ("DailyFact", "UnitDayFact"):
        apps.get_model("dashboard", name).objects.update(received_acknowledged=0)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0002_onestop_fact_columns"),
    ]

    operations = [
        migrations.RenameField("dailyfact", "received_syncable", "received_acknowledged"),
        migrations.RenameField("unitdayfact", "received_syncable", "received_acknowledged"),
        migrations.RunPython(zero, migrations.RunPython.noop),
    ]
