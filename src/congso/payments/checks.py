"""Deployment checks of the payments app (``python -m congso check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .providers import SANDBOX_SECRET


@register(Tags.security, deploy=True)
def gateway_secret_is_real(app_configs, **kwargs):
    """Anyone knowing the sandbox secret could forge "paid" notifications in production."""
    secret = settings.CONGSO_PAYMENT_HASH_SECRET
    if settings.PRODUCTION and settings.CONGSO_PAYMENT_URL and secret in ("", SANDBOX_SECRET):
        return [
            Error(
                "CONGSO_PAYMENT_HASH_SECRET is empty or the sandbox secret.",
                hint="Set the hash secret the payment gateway issued to this merchant.",
                id="congso.payments.E001",
            )
        ]
    return []
