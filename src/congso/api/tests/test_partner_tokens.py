"""Partner systems get short-lived bearer tokens with their own client credentials (OAuth 2.0
client credentials, RFC 6749 §4.4): good and bad secrets, both ways of sending them, the
RFC's error format, expiry, revocation and rotation, and scopes checked at the endpoint."""

import base64
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from congso.api import partners
from congso.api.models import PartnerToken
from congso.core.models import AuditRecord

URL = "/api/v1/oauth/token"
pytestmark = pytest.mark.django_db


def _basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def _token(client_id, secret, **form):
    return APIClient().post(
        URL,
        {"grant_type": "client_credentials", **form},
        HTTP_AUTHORIZATION=_basic(client_id, secret),
    )


def test_client_credentials_by_basic_give_a_bearer_token(partner, settings):
    settings.CONGSO_PARTNER_TOKEN_SECONDS = 600
    client, secret = partner("documents.exchange", "dossiers.sync")
    response = _token(client.client_id, secret)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 600
    assert body["scope"] == "documents.exchange dossiers.sync"
    assert response["Cache-Control"] == "no-store"
    stored = PartnerToken.objects.get()
    assert body["access_token"] not in stored.key_hash  # only the hash is kept
    lifetime = stored.expires_at - stored.created_at
    assert lifetime == dt.timedelta(seconds=600)
    assert AuditRecord.objects.filter(action="api.partner.token").exists()


def test_client_credentials_in_the_form_body(partner):
    client, secret = partner()
    response = APIClient().post(
        URL,
        {
            "grant_type": "client_credentials",
            "client_id": client.client_id,
            "client_secret": secret,
        },
    )
    assert response.status_code == 200 and response.json()["scope"] == "documents.exchange"


def test_a_narrower_scope_may_be_asked_for_not_a_wider_one(partner):
    client, secret = partner("documents.exchange", "dossiers.sync")
    assert (
        _token(client.client_id, secret, scope="dossiers.sync").json()["scope"] == "dossiers.sync"
    )
    wider = _token(client.client_id, secret, scope="dossiers.read")
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("who", ["bad_secret", "unknown", "none", "both"])
def test_bad_client_authentication_is_invalid_client(partner, who):
    client, secret = partner()
    api = APIClient()
    form = {"grant_type": "client_credentials"}
    headers = {}
    if who == "bad_secret":
        headers["HTTP_AUTHORIZATION"] = _basic(client.client_id, secret + "x")
    elif who == "unknown":
        headers["HTTP_AUTHORIZATION"] = _basic("pc-khongco", secret)
    elif who == "both":
        headers["HTTP_AUTHORIZATION"] = _basic(client.client_id, secret)
        form.update(client_id=client.client_id, client_secret=secret)
    response = api.post(URL, form, **headers)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.json()["error_description"]
    assert response["WWW-Authenticate"].startswith("Basic")
    assert not PartnerToken.objects.exists()


@pytest.mark.parametrize(
    ("grant", "error"),
    [("password", "unsupported_grant_type"), ("", "invalid_request")],
)
def test_wrong_grant_type(partner, grant, error):
    client, secret = partner()
    response = _token(client.client_id, secret, grant_type=grant)
    assert response.status_code == 400 and response.json()["error"] == error
    assert not PartnerToken.objects.exists()


def test_only_post(partner):
    assert APIClient().get(URL).status_code == 405


def _sync(code, token):
    return APIClient().get(
        reverse("api-dossier-sync", args=[code]), HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_expired_token_is_refused(partner):
    client, secret = partner("dossiers.sync")
    token = _token(client.client_id, secret).json()["access_token"]
    PartnerToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = _sync("KHONG-CO", token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_missing_scope_is_403_in_the_one_error_format(partner):
    client, secret = partner("documents.exchange")
    token = _token(client.client_id, secret).json()["access_token"]
    response = _sync("KHONG-CO", token)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "insufficient_scope" and "dossiers.sync" in error["message"]
    assert error["fields"] == {}


def test_revoked_client_gets_no_token_and_its_tokens_die(partner, sysadmin):
    client, secret = partner("dossiers.sync")
    token = _token(client.client_id, secret).json()["access_token"]
    partners.revoke_client(sysadmin, client)
    assert _token(client.client_id, secret).status_code == 401
    assert _sync("KHONG-CO", token).status_code == 401
    client.account.refresh_from_db()
    assert not client.account.is_active


def test_rotation_retires_the_old_secret_and_tokens(partner, sysadmin):
    client, secret = partner("dossiers.sync")
    token = _token(client.client_id, secret).json()["access_token"]
    new_secret = partners.rotate_secret(sysadmin, client)
    assert _token(client.client_id, secret).status_code == 401
    assert _sync("KHONG-CO", token).status_code == 401
    assert _token(client.client_id, new_secret).status_code == 200


def test_a_partner_token_is_no_credential_elsewhere(partner):
    client, secret = partner("documents.exchange", "dossiers.read", "dossiers.sync")
    token = _token(client.client_id, secret).json()["access_token"]
    response = APIClient().get(reverse("api-dossiers"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401


def test_only_a_system_administrator_manages_clients(tree, official_at):
    from django.core.exceptions import PermissionDenied

    unit_admin = official_at(tree["commune_a"], "unit_admin")
    with pytest.raises(PermissionDenied):
        partners.create_client(
            unit_admin, name="X", unit=tree["commune_a"], scopes=["dossiers.sync"]
        )


def test_the_token_endpoint_is_rate_limited_per_client_address(settings):
    """Guessing client secrets costs one request of ``CONGSO_LOGIN_RATE`` each."""
    settings.CONGSO_LOGIN_RATE = "3/min"
    client = APIClient(REMOTE_ADDR="198.51.100.23")
    form = {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}
    statuses = [client.post(URL, form).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert client.post(URL, form).json()["error"] == "slow_down"
