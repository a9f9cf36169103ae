"""Deployment checks of the payments app (``python -m congso check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .providers import SANDBOX_SECRET


@register(Tags.security, deploy=True)
def gateway_secret_is_real(app_configs, **kwargs):
    """Anyone knowing the sandbox secret could forge "paid" notifications in production; without
    a secret every notification is refused. A gateway set up (address or merchant code) needs its
    own secret before production starts."""
    secret = settings.CONGSO_PAYMENT_HASH_SECRET
    configured = settings.CONGSO_PAYMENT_URL or settings.CONGSO_PAYMENT_TMN_CODE
    if settings.PRODUCTION and configured and secret in ("", SANDBOX_SECRET):
        return [
            Error(
                "CONGSO_PAYMENT_HASH_SECRET is empty or the sandbox secret.",
                hint="Set the hash secret the payment gateway issued to this merchant.",
                id="congso.payments.E001",
            )
        ]
    return []
