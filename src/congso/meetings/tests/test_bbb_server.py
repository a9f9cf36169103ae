"""BigBlueButton against the sandbox server speaking its XML API (``sandbox.bbb``): it checks every checksum
as BigBlueButton does, knows which rooms ``create`` opened, and answers ``join`` only for those.
Joining through the services calls ``create`` first, then hands out a ``join`` URL the server
accepts."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from sandbox.bbb import start_in_thread

from congso.meetings import services
from congso.meetings.video.base import RoomSpec, RoomUnavailable
from congso.meetings.video.contrib.bbb.plugin import BigBlueButtonProvider

SECRET = "bbb-shared-secret"


@pytest.fixture
def bbb_server():
    """The sandbox BigBlueButton (``sandbox.bbb``); ``.rooms`` and ``.calls`` record what
    happened."""
    running = start_in_thread(secret=SECRET)
    running.bbb.url = running.url
    yield running.bbb
    running.stop()


def test_open_room_against_a_checking_server(bbb_server):
    start = dt.datetime(2030, 1, 7, 0, 30, tzinfo=dt.UTC)
    spec = RoomSpec(
        room="congso-1-abc", title="Giao ban", start=start, end=start + dt.timedelta(hours=2)
    )
    assert b"SUCCESS" in BigBlueButtonProvider(url=bbb_server.url, secret=SECRET).open_room(spec)
    with pytest.raises(RoomUnavailable, match="từ chối mở phòng họp: checksumError"):
        BigBlueButtonProvider(url=bbb_server.url, secret="wrong").open_room(spec)


def test_join_creates_the_room_then_gives_a_join_url_the_server_accepts(
    bbb_server, settings, make_meeting, people
):
    settings.CONGSO_BBB_URL, settings.CONGSO_BBB_SECRET = bbb_server.url, SECRET
    meeting = make_meeting(video_provider="bbb")
    meeting = services.transition(meeting, actor=people["clerk"], action="schedule")
    provider = BigBlueButtonProvider()
    url = services.join_url(meeting, user=people["commune_a"], now=meeting.start)
    [(call, params)] = bbb_server.calls
    assert call == "create" and params["meetingID"] == meeting.video_room
    assert meeting.video_room in bbb_server.rooms
    assert url.startswith(f"{bbb_server.url}/api/join?")
    answer = provider.call(url)
    assert b"<returncode>SUCCESS</returncode>" in answer, answer
    join = bbb_server.calls[-1][1]
    assert join["role"] == "VIEWER" and join["fullName"] == "Lê Xã A"
    chair = services.join_url(meeting, user=people["chair"], now=meeting.start)
    assert [c for c, _p in bbb_server.calls] == ["create", "join", "create"]
    assert parse_qs(urlsplit(chair).query)["role"] == ["MODERATOR"]


def test_a_join_without_create_is_refused_by_the_server(bbb_server):
    provider = BigBlueButtonProvider(url=bbb_server.url, secret=SECRET)
    start = dt.datetime(2030, 1, 7, 0, 30, tzinfo=dt.UTC)
    spec = RoomSpec(room="never-created", title="X", start=start, end=start + dt.timedelta(hours=1))
    from congso.meetings.video.base import Participant

    answer = provider.call(provider.join_url(spec, Participant(name="Xã A"), start))
    assert b"notFound" in answer


def test_an_unreachable_or_refusing_server_is_a_clear_message(
    bbb_server, settings, make_meeting, people
):
    settings.CONGSO_BBB_URL, settings.CONGSO_BBB_SECRET = bbb_server.url, "wrong-secret"
    meeting = make_meeting(video_provider="bbb")
    meeting = services.transition(meeting, actor=people["clerk"], action="schedule")
    with pytest.raises(ValidationError, match="từ chối mở phòng họp"):
        services.join_url(meeting, user=people["chair"], now=meeting.start)
    settings.CONGSO_BBB_URL = "http://127.0.0.1:9/bigbluebutton"
    with pytest.raises(ValidationError, match="Không kết nối được máy chủ BigBlueButton"):
        services.join_url(meeting, user=people["chair"], now=meeting.start)
