"""The exchange transports, by identifier; ``CONGSO_EXCHANGE_TRANSPORT`` names the one in use
(empty: no transport, packages and status messages are kept for the clerk to carry)."""

from django.conf import settings

from congso.core.plugins import Registry

from .base import Transport

registry: Registry[type[Transport]] = Registry("document exchange transport")


def get_transport() -> Transport | None:
    identifier = settings.CONGSO_EXCHANGE_TRANSPORT
    return registry.get(identifier).from_settings() if identifier else None
