"""The national-portal sync plugins, by identifier; ``CONGSO_PORTAL_SYNC`` names the one in use
(empty: no sync)."""

from django.conf import settings

from congso.core.plugins import Registry

from .base import PortalSync

registry: Registry[type[PortalSync]] = Registry("national portal sync")


def get_sync() -> PortalSync | None:
    identifier = settings.CONGSO_PORTAL_SYNC
    return registry.get(identifier).from_settings() if identifier else None
