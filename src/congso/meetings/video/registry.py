"""The video bridges, by identifier; each meeting names its own (``Meeting.video_provider``)."""

from congso.core.plugins import Registry

from .base import Provider

registry: Registry[type[Provider]] = Registry("video bridge")


def provider_for(identifier: str) -> Provider:
    """The bridge a meeting uses, set up from this deployment's settings."""
    return registry.get(identifier)()
