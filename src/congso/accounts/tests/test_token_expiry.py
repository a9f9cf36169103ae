"""API tokens expire after API_TOKEN_HOURS (401 in the one error format), can be revoked by
logging out of the API, and stop working when the password changes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from congso.accounts.models import Role
from congso.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
UNITS = reverse("api-units")


@pytest.fixture
def officer(tree, official_at):
    return official_at(tree["commune_a"], Role.DESK_OFFICER)


def _token(client, user):
    return client.post(
        reverse("api-token"),
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]


def _get(client, token):
    return client.get(UNITS, HTTP_AUTHORIZATION=f"Token {token}")


def test_an_expired_token_gets_401_and_a_new_login_a_new_token(client, officer, settings):
    key = _token(client, officer)
    assert _get(client, key).status_code == 200
    Token.objects.filter(key=key).update(
        created=timezone.now() - dt.timedelta(hours=settings.API_TOKEN_HOURS, minutes=1)
    )
    expired = _get(client, key)
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "token_expired"
    fresh = _token(client, officer)
    assert fresh != key and _get(client, fresh).status_code == 200


def test_a_token_from_before_the_password_change_is_refused(client, officer):
    key = _token(client, officer)
    officer.password_changed_at = timezone.now() + dt.timedelta(seconds=1)
    officer.save(update_fields=["password_changed_at"])
    assert _get(client, key).status_code == 401


def test_logging_out_of_the_api_revokes_the_token(client, officer):
    key = _token(client, officer)
    out = client.post(reverse("api-logout"), HTTP_AUTHORIZATION=f"Token {key}")
    assert out.status_code == 204
    assert not Token.objects.filter(key=key).exists()
    assert _get(client, key).status_code == 401
