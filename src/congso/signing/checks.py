"""Deployment checks of the signing app (``python -m congso check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def passphrase_is_set(app_configs, **kwargs):
    """Stored PKCS#12 keys are encrypted with this passphrase; production must set its own."""
    if settings.PRODUCTION and not settings.CONGSO_SIGNING_PASSPHRASE:
        return [
            Error(
                "CONGSO_SIGNING_PASSPHRASE is not set.",
                hint="Set a long secret passphrase: it encrypts the stored signing keys.",
                id="congso.signing.E001",
            )
        ]
    return []
