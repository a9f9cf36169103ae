"""Changing the password ends the official's other sessions and every API token issued before."""

import pytest
from django.test import Client
from django.urls import reverse

from congso.accounts.models import Role
from congso.accounts.tests.factories import PASSWORD
from congso.accounts.tests.support import log_in

pytestmark = pytest.mark.django_db
NEW = "Mat-khau-moi-2025!"


def test_other_sessions_and_tokens_end_this_one_stays(client, tree, official_at):
    officer = official_at(tree["commune_a"], Role.DESK_OFFICER)
    token = client.post(
        reverse("api-token"),
        {"username": officer.username, "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    units = reverse("api-units")
    assert client.get(units, HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    other = Client()
    log_in(other, officer)
    assert other.get(reverse("accounts:workspace")).status_code == 200

    log_in(client, officer)
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert client.get(reverse("accounts:workspace")).status_code == 200
    ended = other.get(reverse("accounts:workspace"))
    assert ended.status_code == 302 and reverse("accounts:login") in ended.url
    stale = Client().get(units, HTTP_AUTHORIZATION=f"Token {token}")
    assert stale.status_code == 401 and "error" in stale.json()
