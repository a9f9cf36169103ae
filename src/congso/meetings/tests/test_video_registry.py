"""The meeting's ``video_provider`` identifier picks the bridge; an unknown one fails clearly."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from congso.core.plugins import UnknownPlugin
from congso.meetings import checks
from congso.meetings.models import VideoProvider
from congso.meetings.video.contrib.bbb.plugin import BigBlueButtonProvider
from congso.meetings.video.contrib.jitsi.plugin import JitsiProvider
from congso.meetings.video.registry import provider_for, registry


def test_each_identifier_picks_its_bridge():
    assert isinstance(provider_for("jitsi"), JitsiProvider)
    assert isinstance(provider_for("bbb"), BigBlueButtonProvider)
    assert checks.video_choices_are_registered(None) == []


def test_every_meeting_choice_is_a_registered_bridge():
    assert {identifier for identifier, _ in registry.choices()} >= set(VideoProvider.values)


def test_an_unknown_identifier_fails_at_use_and_in_the_checks(monkeypatch):
    with pytest.raises(UnknownPlugin, match="video bridge: no plugin 'zoom'"):
        provider_for("zoom")

    class WithZoom:
        values = [*VideoProvider.values, "zoom"]

    monkeypatch.setattr(checks, "VideoProvider", WithZoom)
    assert [e.id for e in checks.video_choices_are_registered(None)] == ["congso.E010"]
    with pytest.raises(SystemCheckError, match="congso.E010"):
        call_command("check", "--deploy")
