"""Administrators must enrol and confirm a TOTP code before reaching any page; codes work once."""

import pyotp
import pytest
from django.urls import reverse

from congso.accounts import totp
from congso.accounts.models import Role
from congso.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
TOTP = reverse("accounts:totp")


def _login(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def _code(user):
    user.refresh_from_db()
    return pyotp.TOTP(user.totp_secret).now()


@pytest.fixture
def admin(tree, official_at):
    return official_at(tree["commune_a"], Role.UNIT_ADMIN, username="quantri.xa.a")


def test_admin_is_sent_to_enrol_and_held_there_until_verified(client, admin):
    response = _login(client, admin)
    assert response.status_code == 302 and response.url.startswith(TOTP)
    for page in ("accounts:workspace", "accounts:people", "org:tree", "portal:home"):
        held = client.get(reverse(page))
        assert held.status_code == 302 and held.url.startswith(TOTP), page

    page = client.get(TOTP)
    html = page.content.decode()
    assert "<svg" in html and 'data-testid="totp-secret"' in html

    wrong = client.post(TOTP, {"code": "000000"})
    assert "Mã xác thực không đúng hoặc đã được dùng" in wrong.content.decode()
    admin.refresh_from_db()
    assert not admin.totp_confirmed

    done = client.post(TOTP, {"code": _code(admin), "next": reverse("accounts:people")})
    html = done.content.decode()  # enrolled: the recovery codes, once, then where it was going
    assert 'data-testid="recovery-codes"' in html and f'href="{reverse("accounts:people")}"' in html
    admin.refresh_from_db()
    assert admin.totp_confirmed
    assert client.get(reverse("accounts:workspace")).status_code == 200


def test_every_new_session_needs_a_code_again(client, admin):
    _login(client, admin)
    client.get(TOTP)
    client.post(TOTP, {"code": _code(admin)})
    client.post(reverse("accounts:logout"))
    _login(client, admin)
    held = client.get(reverse("accounts:workspace"))
    assert held.status_code == 302 and held.url.startswith(TOTP)
    assert "<svg" not in client.get(TOTP).content.decode()  # enrolled: no QR code again


def test_a_replayed_code_is_refused(client, admin):
    _login(client, admin)
    client.get(TOTP)
    code = _code(admin)
    client.post(TOTP, {"code": code})
    client.post(reverse("accounts:logout"))
    _login(client, admin)
    replay = client.post(TOTP, {"code": code})
    assert replay.status_code == 200
    assert "đã được dùng" in replay.content.decode()
    assert client.get(reverse("accounts:workspace")).status_code == 302


def test_verify_refuses_junk_and_replays(admin):
    admin.totp_secret = totp.new_secret()
    code = pyotp.TOTP(admin.totp_secret).now()
    assert not totp.verify(admin, "")
    assert not totp.verify(admin, "12345")
    assert not totp.verify(admin, "abcdef")
    assert not totp.verify(admin, "".join(chr(0xFF10 + int(d)) for d in code))  # full-width
    assert totp.verify(admin, f" {code[:3]} {code[3:]} ")
    assert not totp.verify(admin, code)


def test_non_admin_officials_need_no_second_factor(client, tree, official_at):
    officer = official_at(tree["commune_a"], Role.DESK_OFFICER)
    assert _login(client, officer).url == reverse("accounts:workspace")
    assert client.get(reverse("accounts:workspace")).status_code == 200


def test_the_totp_page_itself_needs_a_login(client):
    response = client.get(TOTP)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- API tokens ------------------------------------------------------------------------------

TOKEN = reverse("api-token")


def _token(client, user, **extra):
    return client.post(
        TOKEN,
        {"username": user.username, "password": PASSWORD, **extra},
        content_type="application/json",
    )


def test_admin_api_token_requires_otp(client, admin):
    admin.totp_secret = totp.new_secret()
    admin.save()
    refused = _token(client, admin)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "otp_required"
    assert _token(client, admin, otp="000000").status_code == 401
    code = pyotp.TOTP(admin.totp_secret).now()
    granted = _token(client, admin, otp=code)
    assert granted.status_code == 200 and len(granted.json()["token"]) == 40
    assert _token(client, admin, otp=code).status_code == 401  # replayed


def test_token_works_for_the_api_and_non_admins_need_no_otp(client, tree, official_at):
    officer = official_at(tree["commune_a"], Role.DESK_OFFICER)
    token = _token(client, officer).json()["token"]
    assert len(token) == 40


def test_wrong_password_gets_no_token(client, admin):
    response = client.post(
        TOKEN, {"username": admin.username, "password": "sai"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
