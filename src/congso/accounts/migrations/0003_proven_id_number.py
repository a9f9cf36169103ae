"""Personal ID numbers become proven facts (eID or desk); typed ones are kept as declared.

Accounts linked to VNeID were vouched for by the eID: their number stays, proven by ``eid``.
Every other number was typed by whoever registered, so it moves to ``declared_id_number``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def split_typed_from_proven(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    now = timezone.now()
    User.objects.filter(id_number__isnull=False, eid_subject__isnull=False).update(
        id_proven_by="eid", id_proven_at=now
    )
    User.objects.filter(id_number__isnull=False, eid_subject__isnull=True).update(
        declared_id_number=F("id_number"), id_number=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_second_factor_lockouts_tokens"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="declared_id_number",
            field=models.CharField(
                blank=True,
                db_index=True,
                max_length=12,
                verbose_name="số định danh tự khai (chưa xác minh)",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="id_checked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="cán bộ đối chiếu thẻ",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="id_proven_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="thời điểm xác minh số định danh"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="id_proven_by",
            field=models.CharField(
                choices=[
                    ("none", "Chưa xác minh"),
                    ("eid", "Xác minh qua VNeID"),
                    ("desk", "Cán bộ đối chiếu thẻ căn cước"),
                ],
                default="none",
                max_length=4,
                verbose_name="cách xác minh số định danh",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="id_number",
            field=models.CharField(
                blank=True, max_length=12, null=True, verbose_name="số định danh cá nhân"
            ),
        ),
        # going back leaves typed numbers declared: they must never be matched again
        migrations.RunPython(split_typed_from_proven, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("id_number__isnull", False)),
                fields=("id_number",),
                name="user_proven_id_number_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("id_number__isnull", True), ("id_proven_by", "none")),
                    models.Q(
                        ("id_number__isnull", False),
                        models.Q(("id_proven_by", "none"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="user_id_number_proven",
            ),
        ),
    ]
