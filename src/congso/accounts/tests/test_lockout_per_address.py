"""Nobody can lock someone else out: failures count per account *and* client address, so an
attacker's five wrong passwords lock only the attacker's address out of that account."""

import pytest
from django.conf import settings
from django.urls import reverse

from congso.accounts.tests.factories import PASSWORD, OfficialFactory

pytestmark = pytest.mark.django_db
ATTACKER, OFFICE = "203.0.113.66", "192.0.2.10"


def _login(client, password, ip):
    return client.post(
        reverse("accounts:login"), {"username": "cb.that", "password": password}, REMOTE_ADDR=ip
    )


def test_attacker_elsewhere_cannot_lock_the_real_user_out(client):
    user = OfficialFactory(username="cb.that")
    for _ in range(settings.LOGIN_MAX_FAILURES + 2):
        _login(client, "sai-mat-khau", ATTACKER)
    blocked = _login(client, PASSWORD, ATTACKER)
    assert "Bạn đã nhập sai quá nhiều lần" in blocked.content.decode()
    assert "_auth_user_id" not in client.session

    response = _login(client, PASSWORD, OFFICE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_api_token_lockout_is_per_address_too(client):
    OfficialFactory(username="cb.that")
    token = reverse("api-token")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(
            token,
            {"username": "cb.that", "password": "sai"},
            content_type="application/json",
            REMOTE_ADDR=ATTACKER,
        )
    body = {"username": "cb.that", "password": PASSWORD}
    assert (
        client.post(token, body, content_type="application/json", REMOTE_ADDR=ATTACKER).status_code
        == 401
    )
    assert (
        client.post(token, body, content_type="application/json", REMOTE_ADDR=OFFICE).status_code
        == 200
    )
