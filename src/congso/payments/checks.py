"""Deployment checks of the payments app (``python -m congso check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .providers.contrib.paygov.plugin import SANDBOX_SECRET as PAYGOV_SANDBOX_SECRET
from .providers.contrib.vnpay.plugin import SANDBOX_SECRET
from .providers.registry import registry


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


@register(Tags.security, deploy=True)
def paygov_secret_is_real(app_configs, **kwargs):
    """The same rule for the national payment platform's secret key."""
    secret = settings.CONGSO_PAYGOV_SECRET_KEY
    if (
        settings.PRODUCTION
        and settings.CONGSO_PAYMENT_PROVIDER == "paygov"
        and secret in ("", PAYGOV_SANDBOX_SECRET)
    ):
        return [
            Error(
                "CONGSO_PAYGOV_SECRET_KEY is empty or the sandbox secret.",
                hint="Set the secret key the national payment platform issued.",
                id="congso.payments.E002",
            )
        ]
    return []


@register()
def gateway_is_registered(app_configs, **kwargs):
    """An unknown ``CONGSO_PAYMENT_PROVIDER`` would only surface when a citizen tries to pay."""
    return registry.check_setting("CONGSO_PAYMENT_PROVIDER", settings.CONGSO_PAYMENT_PROVIDER)
