"""System checks of the notify app (``python -m congso check [--deploy]``)."""

from django.conf import settings
from django.core.checks import register

from .sms.registry import registry


@register()
def sms_provider_is_registered(app_configs, **kwargs):
    """An unknown ``CONGSO_SMS_PROVIDER`` would only surface when the outbox sends a text."""
    return registry.check_setting("CONGSO_SMS_PROVIDER", settings.SMS_PROVIDER)
