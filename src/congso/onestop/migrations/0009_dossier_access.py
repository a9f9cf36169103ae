import django.db.models.deletion
from django.db import migrations, models

#: Every unit that received, holds or has a step of each dossier (portable SQL).
BACKFILL = """
INSERT INTO onestop_dossieraccess (dossier_id, unit_id)
SELECT id, receiving_unit_id FROM onestop_dossier
UNION SELECT id, current_unit_id FROM onestop_dossier
UNION SELECT dossier_id, unit_id FROM onestop_step
"""


class Migration(migrations.Migration):
    dependencies = [
        ("onestop", "0008_result_templates"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DossierAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "dossier",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="access",
                        to="onestop.dossier",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.unit",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["unit", "dossier"], name="onestop_access_unit")],
                "constraints": [
                    models.UniqueConstraint(fields=("dossier", "unit"), name="onestop_access_once")
                ],
            },
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
