"""System checks of the accounts app (``python -m congso check [--deploy]``)."""

from django.conf import settings
from django.core.checks import register

from .identity_providers.registry import registry


@register()
def identity_provider_is_registered(app_configs, **kwargs):
    """An unknown ``CONGSO_IDENTITY_PROVIDER`` would only surface when a citizen presses
    *Đăng nhập bằng VNeID*."""
    return registry.check_setting("CONGSO_IDENTITY_PROVIDER", settings.CONGSO_IDENTITY_PROVIDER)
