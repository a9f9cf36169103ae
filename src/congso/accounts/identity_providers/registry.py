"""The identity providers, by identifier; ``CONGSO_IDENTITY_PROVIDER`` names the one in use."""

from django.conf import settings

from congso.core.plugins import Registry

from .base import IdentityProvider

registry: Registry[type[IdentityProvider]] = Registry("identity provider")


def get_provider() -> IdentityProvider:
    """The configured identity provider, read at every call (settings may change in tests)."""
    return registry.get(settings.CONGSO_IDENTITY_PROVIDER).from_settings()
