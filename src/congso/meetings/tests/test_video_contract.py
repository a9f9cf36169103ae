"""The contract every video bridge passes against a stand-in speaking its protocol
(``sandbox.bbb``: BigBlueButton's checksummed API; ``sandbox.jitsi``: Jitsi's token entry as
prosody checks it): opening a room is safe to repeat, the chair's link lets them in as moderator,
an attendee's as attendee, and a link altered on the way is refused. Every registered bridge is
in the suite, so a new one cannot be added without passing it."""

import datetime as dt
import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from sandbox import bbb, jitsi

from congso.meetings.video.base import Participant, RoomSpec
from congso.meetings.video.contrib.bbb.plugin import BigBlueButtonProvider
from congso.meetings.video.contrib.jitsi.plugin import JitsiProvider
from congso.meetings.video.registry import registry

START = dt.datetime.now(dt.UTC).replace(microsecond=0)  # the stand-ins check tokens against now
SPEC = RoomSpec(
    room="congso-7-ABCdef", title="Giao ban tuần", start=START, end=START + dt.timedelta(hours=2)
)
CHAIR = Participant(name="Nguyễn Văn Lãnh", email="lanh@nghiloc.vn", moderator=True, ident="u1")
ATTENDEE = Participant(name="UBND xã Nghi Long", ident="e2")
SECRET = "bi-mat-chung-voi-may-chu-hop-32b!"


def _jitsi_bridge():
    running = jitsi.start_in_thread(domain="meet.nghiloc.gov.vn", app_id="congso", secret=SECRET)
    provider = JitsiProvider(domain="meet.nghiloc.gov.vn", app_id="congso", secret=SECRET)

    def admit(url: str):
        """What the browser sends to the Jitsi server, sent to the stand-in instead."""
        parts = urlsplit(url)
        try:
            with urllib.request.urlopen(f"{running.base_url}{parts.path}?{parts.query}") as answer:
                found = json.load(answer)
        except urllib.error.HTTPError:
            return None
        return found["room"].lower(), found["moderator"]

    return running, provider, admit


def _bbb_bridge():
    running = bbb.start_in_thread(secret=SECRET)
    provider = BigBlueButtonProvider(url=running.url, secret=SECRET)

    def admit(url: str):
        if b"<returncode>SUCCESS</returncode>" not in provider.call(url):
            return None
        params = running.bbb.calls[-1][1]
        return params["meetingID"].lower(), params["role"] == "MODERATOR"

    return running, provider, admit


BRIDGES = {"jitsi": _jitsi_bridge, "bbb": _bbb_bridge}


@pytest.fixture(params=sorted(BRIDGES))
def bridge(request):
    running, provider, admit = BRIDGES[request.param]()
    yield provider, admit
    running.stop()


def test_every_registered_bridge_is_in_the_suite():
    assert {plugin.identifier for plugin in registry} == set(BRIDGES)


def test_opening_a_room_is_safe_to_repeat(bridge):
    provider, admit = bridge
    provider.open_room(SPEC)
    provider.open_room(SPEC)
    assert admit(provider.join_url(SPEC, ATTENDEE, START)) == (SPEC.room.lower(), False)


def test_the_chair_joins_as_moderator_and_an_attendee_does_not(bridge):
    provider, admit = bridge
    provider.open_room(SPEC)
    assert admit(provider.join_url(SPEC, CHAIR, START)) == (SPEC.room.lower(), True)
    assert admit(provider.join_url(SPEC, ATTENDEE, START)) == (SPEC.room.lower(), False)


def test_a_link_altered_on_the_way_is_refused(bridge):
    provider, admit = bridge
    provider.open_room(SPEC)
    url = provider.join_url(SPEC, ATTENDEE, START)
    elsewhere = url.replace(SPEC.room, "congso-7-khac").replace(SPEC.room.lower(), "congso-7-khac")
    assert elsewhere != url and admit(elsewhere) is None
