"""Logging in through the national eID, end to end, against the local provider in a thread.

The callback's server-side calls (discovery, JWKS, token, userinfo) go over HTTP to the real
local provider; faults make it issue the bad tokens an attacker or a broken provider would.
"""

import datetime as dt
import json

import pytest
from django.urls import reverse
from sandbox.eid import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Citizen, start_in_thread

from congso.accounts import eid
from congso.accounts.models import Role, User, UserKind
from congso.accounts.tests.factories import CitizenFactory, OfficialFactory, PositionFactory
from congso.core.models import AuditRecord

from .eid_helpers import (
    CALLBACK,
    authorize,
    callback,
    login_page_message,
    provider_redirect,
    serving,
    speaking_garbage,
)

pytestmark = pytest.mark.django_db
CUONG = "040088007788"  # in the provider's list, no account here yet


def _configure(settings, running, **overrides):
    settings.OIDC_ISSUER = running.issuer
    settings.OIDC_CLIENT_ID = DEFAULT_CLIENT_ID
    settings.OIDC_CLIENT_SECRET = DEFAULT_CLIENT_SECRET
    settings.OIDC_SCOPES = "openid profile"
    for name, value in overrides.items():
        setattr(settings, name, value)


@pytest.fixture
def start_provider(settings):
    started = []

    def start(**options):
        running = start_in_thread(port=0, redirect_uris=[CALLBACK], **options)
        started.append(running)
        _configure(settings, running)
        return running

    yield start
    for running in started:
        running.stop()


@pytest.fixture
def provider(start_provider):
    return start_provider()


def _failures():
    return list(
        AuditRecord.objects.filter(action="accounts.eid.failure").values_list(
            "data__reason", flat=True
        )
    )


def _logged_in(client):
    return client.session.get("_auth_user_id")


# --- success ---------------------------------------------------------------------------------


def test_new_citizen_is_created_from_verified_claims(client, provider):
    response = callback(client, authorize(client, CUONG))
    assert response.status_code == 302 and response.url == reverse("portal:home")
    user = User.objects.get(id_number=CUONG)
    assert _logged_in(client) == str(user.pk)
    assert user.kind == UserKind.CITIZEN and user.username == CUONG
    assert user.full_name == "Lê Văn Cường"
    assert (user.date_of_birth, user.sex) == (dt.date(1988, 11, 20), "male")
    assert (user.phone, user.email) == ("+84903111222", "cuong@example.vn")
    assert "Nghi Phương" in user.address
    assert user.eid_subject and not user.has_usable_password()
    assert client.session[eid.LOGIN_METHOD_KEY] == "eid"
    login = AuditRecord.objects.get(action="accounts.login")
    assert login.data == {"method": "eid", "matched_by": "created"}
    assert AuditRecord.objects.filter(action="accounts.eid.create").exists()


def test_existing_citizen_is_linked_by_id_number_then_found_by_subject(client, provider):
    an = CitizenFactory(
        username="congdan.an", id_number="040090001234", phone="+84911000000", full_name=""
    )
    callback(client, authorize(client, "040090001234"))
    an.refresh_from_db()
    assert _logged_in(client) == str(an.pk)
    assert an.eid_subject and an.phone == "+84911000000"  # kept
    assert an.full_name == "Nguyễn Văn An"  # blank filled from the eID
    client.post(reverse("accounts:logout"))
    callback(client, authorize(client, "040090001234"))
    assert _logged_in(client) == str(an.pk)
    matched = AuditRecord.objects.filter(action="accounts.login").values_list(
        "data__matched_by", flat=True
    )
    assert list(matched) == ["id_number", "subject"]
    assert User.objects.filter(id_number="040090001234").count() == 1


def test_next_is_kept_through_the_provider(client, provider):
    response = callback(client, authorize(client, CUONG, next="/procedures/"))
    assert response.url == "/procedures/"


def test_foreign_next_is_ignored(client, provider):
    response = callback(client, authorize(client, CUONG, next="https://evil.example/"))
    assert response.url == reverse("portal:home")


def test_administrator_still_needs_the_second_factor(client, provider, tree):
    admin = OfficialFactory(id_number="040195004321", date_of_birth=dt.date(1995, 8, 3))
    PositionFactory(user=admin, unit=tree["commune_a"], role=Role.UNIT_ADMIN)
    response = callback(client, authorize(client, "040195004321"))
    assert response.url.startswith(reverse("accounts:totp"))
    held = client.get(reverse("accounts:workspace"))
    assert held.status_code == 302 and held.url.startswith(reverse("accounts:totp"))


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_both_client_authentication_methods(client, start_provider, method):
    start_provider(auth_methods=(method,))
    callback(client, authorize(client, CUONG))
    assert _logged_in(client)


def test_configured_id_number_claim(client, start_provider, settings):
    start_provider(id_claim="so_dinh_danh")
    settings.OIDC_ID_NUMBER_CLAIM = "so_dinh_danh"
    callback(client, authorize(client, CUONG))
    assert User.objects.get(id_number=CUONG)


def test_login_page_shows_the_button_only_when_configured(client, provider, settings):
    assert 'data-testid="eid-login"' in client.get(reverse("accounts:login")).content.decode()
    settings.OIDC_ISSUER = ""
    assert 'data-testid="eid-login"' not in client.get(reverse("accounts:login")).content.decode()


# --- failures: a Vietnamese message on the login page, audited, nobody logged in ----------------


@pytest.mark.parametrize(
    ("fault", "reason", "message"),
    [
        ("tamper_id_token", "bad_token", "Không xác minh được thông tin đăng nhập từ VNeID"),
        ("foreign_key", "bad_token", "Không xác minh được thông tin đăng nhập từ VNeID"),
        ("wrong_audience", "bad_token", "Không xác minh được thông tin đăng nhập từ VNeID"),
        ("wrong_issuer", "bad_token", "Không xác minh được thông tin đăng nhập từ VNeID"),
        ("wrong_nonce", "nonce_mismatch", "không thuộc phiên đăng nhập này"),
        ("expired_id_token", "expired_token", "Thông tin đăng nhập từ VNeID đã hết hạn"),
    ],
)
def test_bad_id_tokens_are_refused(client, start_provider, fault, reason, message):
    start_provider(faults={fault})
    response = callback(client, authorize(client, CUONG))
    assert message in login_page_message(client, response)
    assert _logged_in(client) is None
    assert not User.objects.filter(id_number=CUONG).exists()
    assert _failures() == [reason]


def test_tampered_token_cannot_take_over_an_existing_account(client, start_provider):
    an = CitizenFactory(id_number="040090001234")
    start_provider(faults={"tamper_id_token"})  # the forged payload names An's subject
    callback(client, authorize(client, CUONG))
    assert _logged_in(client) is None
    an.refresh_from_db()
    assert an.eid_subject is None


def test_wrong_state_is_refused(client, provider):
    response = callback(client, authorize(client, CUONG), state="doan-bua")
    assert "Phiên đăng nhập bằng VNeID không hợp lệ" in login_page_message(client, response)
    assert _failures() == ["state_mismatch"]
    assert _logged_in(client) is None


def test_callback_without_a_started_flow_is_refused(client, provider, django_user_model):
    location = authorize(client, CUONG)
    other_browser = client.__class__()
    response = callback(other_browser, location)
    assert "Phiên đăng nhập bằng VNeID không hợp lệ" in login_page_message(other_browser, response)
    assert not django_user_model.objects.filter(id_number=CUONG).exists()


def test_a_callback_works_once(client, provider):
    location = authorize(client, CUONG)
    callback(client, location)
    client.post(reverse("accounts:logout"))
    replay = callback(client, location)
    assert "không hợp lệ hoặc đã hết hạn" in login_page_message(client, replay)
    assert _logged_in(client) is None


def test_code_from_another_flow_fails_pkce(client, provider):
    first = authorize(client, CUONG)
    second = authorize(client, CUONG)  # the session now holds the second flow
    state = dict(p.split("=", 1) for p in second.split("?", 1)[1].split("&"))["state"]
    response = callback(client, first, state=state)
    assert "VNeID không chấp nhận mã đăng nhập" in login_page_message(client, response)
    assert _failures() == ["token_rejected"]


def test_citizen_refuses_at_the_provider(client, provider):
    start = client.get(reverse("accounts:eid_start"))
    location = provider_redirect(f"{start.url}&deny=1")
    response = callback(client, location)
    assert "Bạn đã huỷ đăng nhập bằng VNeID." in login_page_message(client, response)


def test_wrong_client_secret(client, provider, settings):
    location = authorize(client, CUONG)
    settings.OIDC_CLIENT_SECRET = "sai"
    response = callback(client, location)
    assert "VNeID không chấp nhận mã đăng nhập" in login_page_message(client, response)


def test_provider_down_at_the_start(client, provider, settings):
    provider.stop()
    response = client.get(reverse("accounts:eid_start"))
    assert "Không kết nối được tới VNeID" in login_page_message(client, response)
    assert _failures() == ["provider_unreachable"]


def test_provider_down_at_the_callback(client, provider):
    location = authorize(client, CUONG)
    provider.stop()
    response = callback(client, location)
    assert "Không kết nối được tới VNeID" in login_page_message(client, response)


def _javascript_endpoints(url):
    document = {
        "issuer": url,
        "authorization_endpoint": "javascript:alert(1)",
        "token_endpoint": url + "/token",
        "jwks_uri": url + "/jwks",
    }
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    "body",
    [
        "<html>Bảo trì hệ thống</html>".encode(),
        b"[1, 2, 3]",
        b'{"issuer": "https://gia-mao.example"}',
        _javascript_endpoints,
    ],
)
def test_provider_answering_nonsense(client, settings, body):
    with serving(body) as url:
        settings.OIDC_ISSUER = url
        settings.OIDC_CLIENT_ID = "congso"
        response = client.get(reverse("accounts:eid_start"))
    assert "VNeID trả về phản hồi không hợp lệ" in login_page_message(client, response)
    assert _failures() == ["provider_error"]


def test_provider_not_speaking_http(client, settings):
    with speaking_garbage() as url:
        settings.OIDC_ISSUER = url
        response = client.get(reverse("accounts:eid_start"))
    assert "Không kết nối được tới VNeID" in login_page_message(client, response)


def test_disabled_eid(client, settings):
    settings.OIDC_ISSUER = ""
    for name in ("accounts:eid_start", "accounts:eid_callback"):
        response = client.get(reverse(name))
        assert "chưa được bật" in login_page_message(client, response)


def test_invalid_id_number_from_the_provider(client, start_provider):
    start_provider(citizens=[Citizen("003090001234", "Ngô Sai Mã", "1990-01-01", "male")])
    response = callback(client, authorize(client, "003090001234"))
    assert "không phải mã tỉnh" in login_page_message(client, response)
    assert not User.objects.filter(full_name="Ngô Sai Mã").exists()
    assert _failures() == ["account"]


def test_missing_id_number_claim(client, start_provider, settings):
    start_provider(id_claim="citizen_id")
    settings.OIDC_ID_NUMBER_CLAIM = "so_dinh_danh"
    response = callback(client, authorize(client, CUONG))
    assert "không cung cấp số định danh" in login_page_message(client, response)


def test_id_number_already_linked_to_another_eid(client, provider):
    CitizenFactory(id_number=CUONG, eid_subject="mot-tai-khoan-khac")
    response = callback(client, authorize(client, CUONG))
    assert "đã được liên kết với một tài khoản VNeID khác" in login_page_message(client, response)


def test_deactivated_account_is_refused(client, provider):
    CitizenFactory(id_number=CUONG, is_active=False)
    response = callback(client, authorize(client, CUONG))
    assert "đã bị vô hiệu hoá" in login_page_message(client, response)
    assert _logged_in(client) is None


def test_demo_account_refused_outside_demo_mode(client, provider, settings):
    CitizenFactory(id_number=CUONG, is_demo=True)
    settings.DEMO_MODE = False
    response = callback(client, authorize(client, CUONG))
    assert "Tài khoản trình diễn" in login_page_message(client, response)


def test_junk_callbacks_never_fail_with_500(client, provider):
    client.get(reverse("accounts:eid_start"))
    for query in ({}, {"state": ""}, {"code": "x" * 5000}, {"error": "server_error"}):
        response = client.get(reverse("accounts:eid_callback"), query)
        assert response.status_code == 302 and response.url == reverse("accounts:login")
