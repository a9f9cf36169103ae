"""Recovery codes: made at enrolment, shown once, stored hashed, each one works once in place of
a TOTP code (audited); a new set replaces the old one."""

import re

import pyotp
import pytest
from django.urls import reverse

from congso.accounts import services, totp
from congso.accounts.models import RecoveryCode, Role
from congso.accounts.tests.support import log_in
from congso.core.models import AuditRecord

pytestmark = pytest.mark.django_db
TOTP = reverse("accounts:totp")


@pytest.fixture
def clerk(tree, official_at):
    return official_at(tree["commune_a"], Role.CLERK)


def _enrol(client, user):
    log_in(client, user, second_factor=False)
    client.get(TOTP)
    user.refresh_from_db()
    page = client.post(TOTP, {"code": pyotp.TOTP(user.totp_secret).now()})
    return _codes_in(page.content.decode())


def _codes_in(html):
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", html)


def test_enrolment_shows_ten_codes_once_and_stores_only_hashes(client, clerk):
    codes = _enrol(client, clerk)
    assert len(codes) == totp.RECOVERY_COUNT == 10
    stored = set(RecoveryCode.objects.filter(user=clerk).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    again = client.get(reverse("accounts:recovery_codes")).content.decode()
    assert not _codes_in(again) and "10" in again


def test_a_recovery_code_works_once_instead_of_a_totp_code(client, clerk):
    code = _enrol(client, clerk)[0]
    client.post(reverse("accounts:logout"))
    log_in(client, clerk, second_factor=False)
    assert client.post(TOTP, {"code": code.upper().replace("-", " ")}).status_code == 302
    assert client.get(reverse("accounts:workspace")).status_code == 200
    assert AuditRecord.objects.filter(action="accounts.recovery_code.use").count() == 1

    client.post(reverse("accounts:logout"))
    log_in(client, clerk, second_factor=False)
    assert client.post(TOTP, {"code": code}).status_code == 200  # used up
    assert client.get(reverse("accounts:workspace")).status_code == 302


def test_regenerating_replaces_the_old_codes(client, clerk):
    old = _enrol(client, clerk)
    page = client.post(reverse("accounts:recovery_codes")).content.decode()
    new = _codes_in(page)
    assert len(new) == 10 and not set(new) & set(old)
    clerk.refresh_from_db()
    assert not totp.check(clerk, old[1])
    assert totp.check(clerk, new[1])
    assert AuditRecord.objects.filter(action="accounts.recovery_codes.generate").count() == 2


def test_no_codes_without_an_enrolled_second_factor(clerk):
    with pytest.raises(services.ValidationError):
        services.regenerate_recovery_codes(clerk)
