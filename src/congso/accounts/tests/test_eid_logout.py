"""Logout from the eID: RP-initiated (our logout sends the browser to the provider's
``end_session_endpoint`` with the ID token, and the provider's session ends) and back-channel
(the provider's signed logout token ends our sessions), for both identity-provider plugins and
so both claim dialects; forged, replayed or malformed logout tokens end nothing."""

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.test import Client
from django.urls import reverse
from sandbox.eid import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, start_in_thread

from congso.accounts import eid
from congso.accounts.models import EidSession

from .eid_helpers import CALLBACK, authorize, callback, provider_redirect

pytestmark = pytest.mark.django_db
CUONG = "040088007788"
LOGGED_OUT = "http://testserver/accounts/eid/logged-out/"
BACKCHANNEL = "http://testserver/accounts/eid/backchannel-logout/"
PLUGINS = {"oidc": "oidc", "vneid_portal": "portal"}


@pytest.fixture(scope="module", params=sorted(PLUGINS))
def sandbox(request):
    """The sandbox answering in the plugin's dialect (one per plugin for the module: a key pair
    is slow to make); back-channel tokens are kept for the test to deliver through Django's test
    client (the provider's thread cannot reach testserver)."""
    running = start_in_thread(
        port=0,
        redirect_uris=[CALLBACK],
        post_logout_redirect_uris=[LOGGED_OUT],
        backchannel_logout_uri=BACKCHANNEL,
        dialect=PLUGINS[request.param],
    )
    running.provider.deliver = lambda uri, token: running.provider.outbox.append((uri, token))
    yield request.param, running
    running.stop()


@pytest.fixture
def provider(sandbox, settings):
    plugin, running = sandbox
    running.provider.outbox = []
    running.provider.sessions.clear()
    settings.CONGSO_IDENTITY_PROVIDER = plugin
    settings.OIDC_ISSUER = running.issuer
    settings.OIDC_CLIENT_ID = DEFAULT_CLIENT_ID
    settings.OIDC_CLIENT_SECRET = DEFAULT_CLIENT_SECRET
    settings.OIDC_CLAIM_DIALECT = ""
    return running.provider


def _logged_in(client) -> None:
    response = callback(client, authorize(client, CUONG))
    assert response.status_code == 302 and response.url != reverse("accounts:login")


def _still_in(client) -> bool:
    return client.get(reverse("portal:my_dossiers")).status_code == 200


def _post_logout_token(client, token: str):
    return client.post(reverse("accounts:eid_backchannel_logout"), {"logout_token": token})


def test_rp_initiated_logout_ends_the_provider_session(client, provider):
    _logged_in(client)
    assert len(provider.sessions) == 1
    response = client.post(reverse("accounts:logout"))
    parts = urlsplit(response.url)
    assert response.url.startswith(provider.issuer + "/logout?")
    query = parse_qs(parts.query)
    assert query["post_logout_redirect_uri"] == [LOGGED_OUT]
    assert jwt.decode(query["id_token_hint"][0], options={"verify_signature": False})["sid"]
    assert not EidSession.objects.exists()
    assert provider_redirect(response.url) == LOGGED_OUT
    assert provider.sessions == {} and not _still_in(client)
    assert client.get(LOGGED_OUT).url == reverse("portal:home")


def test_back_channel_logout_ends_our_sessions(client, provider):
    _logged_in(client)
    (sid,) = provider.sessions
    other = Client()
    other.force_login(EidSession.objects.get().user)
    provider.end(sid)  # the citizen logged out at the portal
    ((uri, token),) = provider.outbox
    assert uri == BACKCHANNEL and _still_in(client)
    assert _post_logout_token(Client(), token).status_code == 200
    assert not _still_in(client)
    assert _still_in(other), "a session the eID did not open is not the provider's to end"
    assert not EidSession.objects.exists()


def test_portal_logout_endpoint_sends_the_back_channel_token(client, provider):
    import http.client

    _logged_in(client)
    (sid,) = provider.sessions
    host, port = urlsplit(provider.issuer).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request(
        "POST",
        "/portal-logout",
        body=f"sid={sid}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert connection.getresponse().status == 200
    connection.close()
    assert provider.sessions == {} and len(provider.outbox) == 1


MALFORMED = {
    "no events": {"events": None},
    "another event": {"events": {"http://example.com/other": {}}},
    "a nonce": {"nonce": "n"},
    "another audience": {"aud": "another-client"},
    "another issuer": {"iss": "https://elsewhere.example"},
    "no iat": {"iat": None},
    "neither sub nor sid": {"sub": None, "sid": None},
}


def test_a_malformed_logout_token_ends_nothing(client, provider):
    _logged_in(client)
    (sid,) = provider.sessions
    subject = EidSession.objects.get().subject
    for name, changes in MALFORMED.items():
        token = provider.logout_token(DEFAULT_CLIENT_ID, subject, sid, **changes)
        response = _post_logout_token(Client(), token)
        assert response.status_code == 400 and "error" in response.json(), name
        assert _still_in(client), name


def test_a_forged_or_replayed_logout_token_ends_nothing(client, provider):
    _logged_in(client)
    (sid,) = provider.sessions
    subject = EidSession.objects.get().subject
    forged = jwt.encode(
        {"iss": provider.issuer, "aud": DEFAULT_CLIENT_ID, "iat": 1, "sid": sid},
        "not-the-providers-key-but-long-enough-for-hs256",
        algorithm="HS256",
    )
    assert _post_logout_token(Client(), forged).status_code == 400
    assert _still_in(client)
    token = provider.logout_token(DEFAULT_CLIENT_ID, subject, "another-sid")
    assert _post_logout_token(Client(), token).status_code == 200
    assert _still_in(client), "another provider session is not this one"
    assert _post_logout_token(Client(), token).status_code == 400  # the same jti again


def test_verify_logout_token_reads_sid_and_subject(provider):
    token = provider.logout_token(DEFAULT_CLIENT_ID, "subject-1", "sid-1")
    assert eid.verify_logout_token(token) == eid.LogoutNotice("subject-1", "sid-1")
