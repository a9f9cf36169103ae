"""Six digits must not be guessable: after LOGIN_MAX_FAILURES wrong codes the account waits
(whatever the code), every failure and the lockout are audited; a replayed code is refused."""

import datetime as dt

import pyotp
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from congso.accounts import totp
from congso.accounts.models import Role
from congso.accounts.tests.factories import PASSWORD
from congso.accounts.tests.support import log_in
from congso.core.models import AuditRecord

pytestmark = pytest.mark.django_db
TOTP = reverse("accounts:totp")


@pytest.fixture
def leader(tree, official_at):
    return official_at(
        tree["commune_a"], Role.LEADER, totp_secret=totp.new_secret(), totp_confirmed=True
    )


def _audited(action, user):
    return AuditRecord.objects.filter(action=action, object_id=str(user.pk)).count()


def test_page_locks_after_max_wrong_codes_even_the_right_one(client, leader, monkeypatch):
    log_in(client, leader, second_factor=False)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(TOTP, {"code": "000000"})
    assert _audited("accounts.login.failure", leader) == settings.LOGIN_MAX_FAILURES
    assert _audited("accounts.login.lockout", leader) == 1

    right = client.post(TOTP, {"code": pyotp.TOTP(leader.totp_secret).now()})
    assert right.status_code == 200
    assert "Bạn đã nhập sai quá nhiều lần" in right.content.decode()
    assert client.get(reverse("accounts:workspace")).status_code == 302

    later = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    code = pyotp.TOTP(leader.totp_secret).now()  # refused unchecked above, so still unused
    assert client.post(TOTP, {"code": code}).status_code == 302
    assert client.get(reverse("accounts:workspace")).status_code == 200


def test_api_token_otp_is_limited_too(client, leader):
    body = {"username": leader.username, "password": PASSWORD}
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(
            reverse("api-token"), {**body, "otp": "000000"}, content_type="application/json"
        )
    locked = client.post(
        reverse("api-token"),
        {**body, "otp": pyotp.TOTP(leader.totp_secret).now()},
        content_type="application/json",
    )
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "otp_locked"


def test_a_replayed_code_is_still_refused(leader):
    code = pyotp.TOTP(leader.totp_secret).now()
    assert totp.check(leader, code)
    assert not totp.check(leader, code)
    assert _audited("accounts.login.failure", leader) == 1
