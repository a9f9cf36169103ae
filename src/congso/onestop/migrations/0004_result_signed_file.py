import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("onestop", "0003_dossier_search_trigram"),
        ("signing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="result",
            name="signed_file",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="signing.signedfile",
                verbose_name="bản đã ký số",
            ),
        ),
        migrations.AddField(
            model_name="result",
            name="unsigned_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="lý do chưa ký số"),
        ),
        migrations.AddField(
            model_name="result",
            name="generated",
            field=models.BooleanField(default=False, verbose_name="sinh từ mẫu"),
        ),
    ]
