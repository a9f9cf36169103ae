"""One order, one charge: at most one pending order per dossier. Orders left pending side by side
before this rule keep the newest open; the older ones are closed as failed (the gateway stops
accepting an order after 15 minutes); having no ``settled_at`` tells them apart from failures
the gateway reported. A late success for one of them is still recorded and refunded by the
reconciliation officer."""

from django.db import migrations, models


def close_older_pending(apps, schema_editor):
    Payment = apps.get_model("payments", "Payment")
    seen = set()
    for payment in Payment.objects.filter(state="pending").order_by(
        "dossier_id", "-created_at", "-id"
    ):
        if payment.dossier_id not in seen:
            seen.add(payment.dossier_id)
            continue
        payment.state = "failed"
        payment.save(update_fields=["state"])


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(close_older_pending, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "pending")),
                fields=("dossier",),
                name="payments_one_pending_order_per_dossier",
            ),
        ),
    ]
