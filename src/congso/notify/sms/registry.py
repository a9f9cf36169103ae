"""The SMS providers, by identifier; ``CONGSO_SMS_PROVIDER`` names the one in use."""

from django.conf import settings

from congso.core.plugins import Registry

from .base import SmsProvider

registry: Registry[type[SmsProvider]] = Registry("SMS provider")


def get_provider() -> SmsProvider:
    """The provider named by ``CONGSO_SMS_PROVIDER`` (read at every call, so tests can override)."""
    return registry.get(settings.SMS_PROVIDER)()
