"""A password-only session of an administrator or a signer opens nothing on the API: the second
factor covers /api/v1/* like the pages (the finding: the middleware skipped /api/)."""

import pyotp
import pytest
from django.urls import reverse

from congso.accounts import totp
from congso.accounts.models import Role
from congso.accounts.permissions import signing_roles
from congso.accounts.tests.factories import PASSWORD
from congso.accounts.tests.support import log_in, pass_second_factor

pytestmark = pytest.mark.django_db
UNITS = reverse("api-units")


def test_signers_are_the_roles_that_grant_a_signing_action():
    assert {Role.LEADER, Role.DEPUTY_LEADER, Role.CLERK} <= signing_roles()
    assert Role.DESK_OFFICER not in signing_roles() and Role.SPECIALIST not in signing_roles()


@pytest.mark.parametrize("role", [Role.UNIT_ADMIN, Role.LEADER, Role.DEPUTY_LEADER, Role.CLERK])
def test_session_without_second_factor_gets_403_on_the_api(client, tree, official_at, role):
    user = official_at(tree["commune_a"], role)
    log_in(client, user, second_factor=False)
    refused = client.get(UNITS)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "otp_required"
    assert refused.json()["error"]["message"]
    page = client.get(reverse("accounts:workspace"))
    assert page.status_code == 302 and page.url.startswith(reverse("accounts:totp"))

    pass_second_factor(client)
    assert client.get(UNITS).status_code == 200


def test_officials_who_do_not_sign_need_no_second_factor(client, tree, official_at):
    log_in(client, official_at(tree["commune_a"], Role.DESK_OFFICER), second_factor=False)
    assert client.get(UNITS).status_code == 200


def test_the_token_endpoint_stays_open_and_a_signer_needs_otp(client, tree, official_at):
    leader = official_at(tree["commune_a"], Role.LEADER, totp_secret=totp.new_secret())
    log_in(client, leader, second_factor=False)
    body = {"username": leader.username, "password": PASSWORD}
    refused = client.post(reverse("api-token"), body, content_type="application/json")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "otp_required"
    code = pyotp.TOTP(leader.totp_secret).now()
    granted = client.post(
        reverse("api-token"), {**body, "otp": code}, content_type="application/json"
    )
    assert granted.status_code == 200
    token = granted.json()["token"]
    assert client.get(UNITS, HTTP_AUTHORIZATION=f"Token {token}").status_code in (200, 403)
