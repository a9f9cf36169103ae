"""System checks of the meetings app (``python -m congso check [--deploy]``)."""

from django.core.checks import register

from .models import VideoProvider
from .video.registry import registry


@register()
def video_choices_are_registered(app_configs, **kwargs):
    """A bridge offered on the meeting form but never registered fails only when people join."""
    return [
        error
        for choice in VideoProvider.values
        for error in registry.check_setting("Meeting.video_provider", choice)
    ]
