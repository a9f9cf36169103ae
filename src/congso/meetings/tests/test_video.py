"""The exact links the real bridges accept: Jitsi's JWT decoded with PyJWT, BigBlueButton's
checksum recomputed here from the URL itself."""

import datetime as dt
import hashlib
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from congso.meetings.video.base import Participant, RoomSpec
from congso.meetings.video.contrib.bbb.plugin import BigBlueButtonProvider
from congso.meetings.video.contrib.jitsi.plugin import JitsiProvider

UTC = dt.UTC
SPEC = RoomSpec(
    room="congso-7-ABCdef",
    title="Giao ban tuần",
    start=dt.datetime(2030, 3, 4, 0, 30, tzinfo=UTC),
    end=dt.datetime(2030, 3, 4, 2, 30, tzinfo=UTC),
)
NOW = dt.datetime(2030, 3, 4, 0, 20, tzinfo=UTC)
SECRET = "bi-mat-chung-voi-prosody-32-bytes!"


def _jitsi():
    return JitsiProvider(domain="meet.nghiloc.gov.vn", app_id="congso", secret=SECRET)


def _token(url):
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.netloc == "meet.nghiloc.gov.vn"
    assert parts.path == "/congso-7-abcdef"
    return parse_qs(parts.query)["jwt"][0]


def _decode(token, **kwargs):
    options = {"require": ["exp", "nbf", "aud", "iss", "sub", "room"]}
    return jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience="jitsi",
        issuer="congso",
        options=options,
        **kwargs,
    )


def test_jitsi_token_claims_for_the_chair():
    chair = Participant(
        name="Nguyễn Văn Lãnh", email="lanh@nghiloc.vn", moderator=True, ident="user-1"
    )
    url = _jitsi().join_url(SPEC, chair, NOW)
    token = _token(url)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience="jitsi",
        options={"verify_exp": False, "verify_nbf": False},
    )
    assert claims["iss"] == "congso"
    assert claims["sub"] == "meet.nghiloc.gov.vn"
    assert claims["room"] == "congso-7-abcdef"
    assert claims["context"]["user"] == {
        "id": "user-1",
        "name": "Nguyễn Văn Lãnh",
        "email": "lanh@nghiloc.vn",
        "moderator": True,
    }
    assert claims["nbf"] == int(NOW.timestamp()) - 60
    assert claims["exp"] == int((SPEC.end + dt.timedelta(hours=2)).timestamp())


def test_jitsi_attendee_is_no_moderator():
    hall = Participant(name="Xã Nghi Long — Hội trường", ident="endpoint-3")
    claims = jwt.decode(
        _token(_jitsi().join_url(SPEC, hall, NOW)),
        SECRET,
        algorithms=["HS256"],
        audience="jitsi",
        options={"verify_exp": False, "verify_nbf": False},
    )
    assert claims["context"]["user"]["moderator"] is False


def test_jitsi_token_is_refused_with_wrong_secret_audience_or_after_expiry():
    token = _token(_jitsi().join_url(SPEC, Participant(name="A"), NOW))
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token, "another-secret-of-enough-length!!", algorithms=["HS256"], audience="jitsi"
        )
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(
            token,
            SECRET,
            algorithms=["HS256"],
            audience="other",
            options={"verify_exp": False, "verify_nbf": False},
        )
    claims = jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience="jitsi",
        options={"verify_exp": False, "verify_nbf": False},
    )
    too_late = claims["exp"] + 1
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(
            token,
            SECRET,
            algorithms=["HS256"],
            audience="jitsi",
            options={"verify_nbf": False},
            leeway=-(too_late - int(dt.datetime.now(UTC).timestamp())),
        )


def test_jitsi_token_valid_now(settings):
    settings.CONGSO_JITSI_DOMAIN = "meet.nghiloc.gov.vn"
    settings.CONGSO_JITSI_APP_ID = "congso"
    settings.CONGSO_JITSI_SECRET = SECRET
    now = dt.datetime.now(UTC)
    spec = RoomSpec(room=SPEC.room, title="x", start=now, end=now + dt.timedelta(hours=1))
    claims = _decode(_token(JitsiProvider().join_url(spec, Participant(name="A"), now)))
    assert claims["room"] == "congso-7-abcdef"


def _check_bbb(url, secret, algorithm):
    parts = urlsplit(url)
    call = parts.path.rsplit("/", 1)[1]
    query, _sep, digest = parts.query.rpartition("&checksum=")
    assert digest == hashlib.new(algorithm, (call + query + secret).encode()).hexdigest()
    return call, parse_qs(query)


def test_bbb_create_and_join_checksums():
    bbb = BigBlueButtonProvider(url="https://bbb.nghiloc.gov.vn/bigbluebutton/", secret="s3cr3t")
    call, params = _check_bbb(bbb.create_url(SPEC), "s3cr3t", "sha1")
    assert call == "create"
    assert params["meetingID"] == ["congso-7-ABCdef"]
    assert params["name"] == ["Giao ban tuần"]
    assert bbb.create_url(SPEC).startswith("https://bbb.nghiloc.gov.vn/bigbluebutton/api/create?")
    chair = Participant(name="Nguyễn Văn Lãnh", moderator=True, ident="user-1")
    call, params = _check_bbb(bbb.join_url(SPEC, chair, NOW), "s3cr3t", "sha1")
    assert call == "join"
    assert params["role"] == ["MODERATOR"]
    assert params["fullName"] == ["Nguyễn Văn Lãnh"]
    _call, params = _check_bbb(bbb.join_url(SPEC, Participant(name="Xã A"), NOW), "s3cr3t", "sha1")
    assert params["role"] == ["VIEWER"]


def test_bbb_sha256_from_settings(settings):
    settings.CONGSO_BBB_URL = "https://bbb.example.vn/bigbluebutton/api"
    settings.CONGSO_BBB_SECRET = "another"
    settings.CONGSO_BBB_CHECKSUM = "sha256"
    url = BigBlueButtonProvider().join_url(SPEC, Participant(name="A"), NOW)
    assert url.startswith("https://bbb.example.vn/bigbluebutton/api/join?")
    _check_bbb(url, "another", "sha256")
    assert len(url.rpartition("checksum=")[2]) == 64


def test_bbb_tampered_query_fails_the_checksum():
    bbb = BigBlueButtonProvider(url="https://bbb.example.vn/bigbluebutton", secret="s3cr3t")
    url = bbb.join_url(SPEC, Participant(name="A"), NOW).replace("VIEWER", "MODERATOR")
    with pytest.raises(AssertionError):
        _check_bbb(url, "s3cr3t", "sha1")
