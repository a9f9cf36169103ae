"""Logging in with a password: identifiers, lockout, demo accounts, cookies, redirects."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from congso.accounts.tests.factories import PASSWORD, CitizenFactory, OfficialFactory
from congso.core.models import AuditRecord

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def _login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def an(db):
    return CitizenFactory(
        username="congdan.an", phone="+84912345678", email="An@Example.vn", id_number="040090001234"
    )


@pytest.mark.parametrize(
    "identifier",
    ["congdan.an", "CONGDAN.AN", "0912 345 678", "+84912345678", "an@example.vn", "040090001234"],
)
def test_login_by_username_phone_email_or_id_number(client, an, identifier):
    response = _login(client, identifier)
    assert response.status_code == 302
    assert _logged_in_as(client) == str(an.pk)
    assert AuditRecord.objects.filter(action="accounts.login", object_id=str(an.pk)).exists()


def test_citizen_lands_on_the_portal_official_in_the_workspace(client, an):
    assert _login(client, "congdan.an").url == reverse("portal:home")
    client.logout()
    OfficialFactory(username="cb.mot")
    assert _login(client, "cb.mot").url == reverse("accounts:workspace")


def test_wrong_password_is_refused_in_vietnamese(client, an):
    response = _login(client, "congdan.an", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert _logged_in_as(client) is None


def test_unknown_user_gets_the_same_message(client):
    response = _login(client, "khong.co.ai")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_empty_form_says_what_is_missing(client):
    response = client.post(LOGIN, {})
    assert response.status_code == 200
    assert "Có lỗi cần sửa" in response.content.decode()


def test_lockout_after_max_failures_then_unlock_after_the_lockout_time(client, an, monkeypatch):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "congdan.an", "sai-mat-khau")
    an.refresh_from_db()
    assert an.is_locked
    expected = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    assert abs((an.locked_until - expected).total_seconds()) < 60

    response = _login(client, "congdan.an")  # even the right password
    assert "Bạn đã nhập sai quá nhiều lần" in response.content.decode()
    assert _logged_in_as(client) is None

    later = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _login(client, "congdan.an").status_code == 302
    assert _logged_in_as(client) == str(an.pk)
    assert not an.lockouts.exists()


def test_one_failure_short_of_the_limit_does_not_lock(client, an):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        _login(client, "congdan.an", "sai-mat-khau")
    assert _login(client, "congdan.an").status_code == 302
    assert not an.lockouts.exists()


def test_inactive_account_cannot_log_in(client):
    OfficialFactory(username="nghi.viec", is_active=False)
    assert _login(client, "nghi.viec").status_code == 200
    assert _logged_in_as(client) is None


def test_demo_accounts_refused_when_demo_mode_is_off(client, settings):
    CitizenFactory(username="congdan.demo", is_demo=True)
    settings.DEMO_MODE = False
    assert _login(client, "congdan.demo").status_code == 200
    assert _logged_in_as(client) is None
    settings.DEMO_MODE = True
    assert _login(client, "congdan.demo").status_code == 302


def test_next_is_followed_only_on_this_site(client, an):
    assert _login(client, "congdan.an", next="/procedures/").url == "/procedures/"
    client.logout()
    assert _login(client, "congdan.an", next="https://evil.example/").url == reverse("portal:home")


def test_session_cookie_is_http_only_and_same_site(client, an):
    response = _login(client, "congdan.an")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert 0 < int(cookie["max-age"]) <= 8 * 3600


def test_logout_needs_post_and_ends_the_session(client, an):
    _login(client, "congdan.an")
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert _logged_in_as(client) is None


def test_production_settings_make_cookies_secure(tmp_path):
    """The settings module itself, loaded as production would load it."""
    env = {
        **os.environ,
        "CONGSO_ENV": "production",
        "CONGSO_SECRET_KEY": "x" * 50,
        "CONGSO_AUDIT_KEY": "y" * 50,
        "CONGSO_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "congso.settings",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT, s.DEMO_MODE)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True", "True", "Lax", "True", "False"]
