"""The payment providers, by identifier; ``CONGSO_PAYMENT_PROVIDER`` names the one in use."""

from django.conf import settings

from congso.core.plugins import Registry

from .base import Provider

registry: Registry[type[Provider]] = Registry("payment provider")


def get_provider() -> Provider:
    """The configured gateway (settings ``CONGSO_PAYMENT_*``), read at every call."""
    return registry.get(settings.CONGSO_PAYMENT_PROVIDER).from_settings()
