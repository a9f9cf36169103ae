"""The local eID provider speaks the protocol strictly enough to catch a sloppy client."""

import base64
import hashlib
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from sandbox.eid import CITIZENS, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, start_in_thread

from .eid_helpers import provider_redirect

REDIRECT = "http://client.example/callback"
VERIFIER = "v" * 50
CHALLENGE = (
    base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
)


@pytest.fixture(scope="module")
def running():
    running = start_in_thread(port=0, redirect_uris=[REDIRECT])
    yield running
    running.stop()


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _post(url, data, headers=None):
    request = urllib.request.Request(url, data=urlencode(data).encode(), headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _authorize_url(running, **changes):
    params = {
        "response_type": "code",
        "client_id": DEFAULT_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": "openid profile",
        "state": "trang-thai",
        "nonce": "so-dung-mot-lan",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
        **changes,
    }
    return f"{running.issuer}/authorize?{urlencode({k: v for k, v in params.items() if v is not None})}"


def _code(running, **changes):
    location = provider_redirect(_authorize_url(running, citizen=CITIZENS[2].id_number, **changes))
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == ["trang-thai"]
    return query["code"][0]


def _exchange(running, issued_code, **changes):
    form = {
        "grant_type": "authorization_code",
        "code": issued_code,
        "redirect_uri": REDIRECT,
        "code_verifier": VERIFIER,
        "client_id": DEFAULT_CLIENT_ID,
        "client_secret": DEFAULT_CLIENT_SECRET,
        **changes,
    }
    return _post(f"{running.issuer}/token", {k: v for k, v in form.items() if v is not None})


def test_discovery_and_jwks(running):
    status, body = _get(f"{running.issuer}/.well-known/openid-configuration")
    document = json.loads(body)
    assert status == 200 and document["issuer"] == running.issuer
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = json.loads(_get(document["jwks_uri"])[1])["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["kid"]


def test_the_chooser_page_lists_test_citizens(running):
    status, body = _get(_authorize_url(running))
    html = body.decode()
    assert status == 200 and "<form" in html and "Từ chối" in html
    assert all(c.name in html and c.id_number in html for c in CITIZENS)


def test_unregistered_redirect_is_never_followed(running):
    status, body = _get(_authorize_url(running, redirect_uri="http://evil.example/cb"))
    assert status == 400 and "chưa được đăng ký" in body.decode()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"scope": "profile"}, "invalid_scope"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"deny": "1"}, "access_denied"),
    ],
)
def test_authorization_errors_go_back_with_state(running, changes, error):
    location = provider_redirect(_authorize_url(running, citizen="040088007788", **changes))
    query = parse_qs(urlsplit(location).query)
    assert query["error"] == [error] and query["state"] == ["trang-thai"]
    assert location.startswith(REDIRECT)


def test_a_good_exchange_gives_a_verifiable_id_token_and_userinfo(running):
    status, tokens = _exchange(running, _code(running))
    assert status == 200 and tokens["token_type"] == "Bearer"
    jwks = jwt.PyJWKClient(f"{running.issuer}/jwks")
    claims = jwt.decode(
        tokens["id_token"],
        jwks.get_signing_key_from_jwt(tokens["id_token"]).key,
        algorithms=["RS256"],
        audience=DEFAULT_CLIENT_ID,
        issuer=running.issuer,
    )
    assert claims["nonce"] == "so-dung-mot-lan" and claims["sub"] == CITIZENS[2].sub()
    status, body = _get(
        f"{running.issuer}/userinfo", {"Authorization": f"Bearer {tokens['access_token']}"}
    )
    info = json.loads(body)
    assert status == 200 and info["citizen_id"] == CITIZENS[2].id_number
    assert info["sub"] == claims["sub"]


def test_basic_client_authentication(running):
    pair = base64.b64encode(f"{DEFAULT_CLIENT_ID}:{DEFAULT_CLIENT_SECRET}".encode()).decode()
    code = _code(running)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": VERIFIER,
    }
    status, _tokens = _post(f"{running.issuer}/token", form, {"Authorization": f"Basic {pair}"})
    assert status == 200


@pytest.mark.parametrize(
    ("changes", "status", "error"),
    [
        ({"client_secret": "sai"}, 401, "invalid_client"),
        ({"client_id": "ung-dung-la"}, 401, "invalid_client"),
        ({"code_verifier": "w" * 50}, 400, "invalid_grant"),
        ({"code_verifier": None}, 400, "invalid_grant"),
        ({"redirect_uri": "http://client.example/other"}, 400, "invalid_grant"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"code": "bia-dat"}, 400, "invalid_grant"),
    ],
)
def test_token_endpoint_checks(running, changes, status, error):
    answer_status, answer = _exchange(running, _code(running), **changes)
    assert (answer_status, answer["error"]) == (status, error)


def test_a_code_is_used_once(running):
    code = _code(running)
    assert _exchange(running, code)[0] == 200
    assert _exchange(running, code)[1]["error"] == "invalid_grant"


def test_userinfo_needs_a_valid_bearer_token(running):
    status, _body = _get(f"{running.issuer}/userinfo", {"Authorization": "Bearer bia-dat"})
    assert status == 401
    assert _get(f"{running.issuer}/khong-co")[0] == 404


def test_unknown_fault_is_refused():
    with pytest.raises(ValueError):
        start_in_thread(port=0, faults={"no-such-fault"})


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_runs_from_the_command_line():
    port = _free_port()
    repository = Path(__file__).resolve().parents[4]
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.eid", "--port", str(port)],
        cwd=repository,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/.well-known/openid-configuration")
                break
            except urllib.error.URLError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
        assert status == 200
        assert json.loads(body)["issuer"] == f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
