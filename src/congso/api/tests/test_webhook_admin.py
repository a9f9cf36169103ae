"""The administrator's webhook pages: a subscription is created with a secret shown once and
stored sealed (not readable from the database alone); the delivery log shows each attempt; a
failed delivery is redelivered, signed with the same secret; only system administrators get in."""

import hashlib
import hmac

import pytest
from django.test import override_settings
from django.urls import reverse

from congso.accounts.tests.support import log_in
from congso.api import webhooks
from congso.api.models import WebhookDelivery, WebhookSubscription
from congso.core import audit

pytestmark = pytest.mark.django_db


def test_the_secret_is_shown_once_and_stored_sealed(client, sysadmin, partner, tree):
    partner_client, _ = partner("dossiers.read", unit=tree["district"])
    log_in(client, sysadmin)
    page = client.post(
        reverse("partners:webhooks"),
        {
            "client": partner_client.pk,
            "url": "https://doitac.example.vn/hooks",
            "events": ["onestop."],
        },
    )
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    secret = page.context["secret"]
    assert secret in page.content.decode()
    stored = WebhookSubscription.objects.get()
    assert stored.secret.startswith(webhooks.SEALED) and secret not in stored.secret
    assert webhooks.unseal(stored.secret) == secret and stored.events == ["onestop."]
    listing = client.get(reverse("partners:webhooks")).content.decode()
    assert "doitac.example.vn" in listing and secret not in listing
    with override_settings(SECRET_KEY="another-key-" * 4), pytest.raises(ValueError):
        webhooks.unseal(stored.secret)


def test_bad_input_is_explained_and_nothing_is_created(client, sysadmin, partner):
    partner_client, _ = partner("dossiers.read")
    log_in(client, sysadmin)
    page = client.post(
        reverse("partners:webhooks"), {"client": partner_client.pk, "url": "ftp://x", "events": []}
    )
    assert page.status_code == 200 and "Địa chỉ nhận sự kiện" in page.content.decode()
    assert page.context["form"].errors and not WebhookSubscription.objects.exists()


def test_a_failed_delivery_is_logged_and_redelivered(
    client, sysadmin, partner, tree, receiver, settings
):
    settings.CONGSO_WEBHOOK_MAX_ATTEMPTS = 1
    partner_client, _ = partner("dossiers.read", unit=tree["district"])
    subscription, secret = webhooks.subscribe(partner_client, receiver.url)
    audit.record(
        "onestop.receive",
        object_type="onestop.dossier",
        object_id="7",
        object_repr="HS-7",
        unit_id=tree["district"].pk,
    )
    webhooks.collect()
    receiver.answers.append("500 Internal Server Error")
    assert webhooks.deliver()["failed"] == 1
    delivery = WebhookDelivery.objects.get()
    log_in(client, sysadmin)
    log = client.get(reverse("partners:webhook_deliveries", args=[subscription.pk]))
    assert "500" in log.content.decode() and "onestop.receive" in log.content.decode()
    response = client.post(reverse("partners:webhook_redeliver", args=[delivery.pk]))
    assert response.status_code == 302
    assert webhooks.deliver()["delivered"] == 1
    environ, body = receiver.got[-1]
    timestamp = environ["HTTP_X_CONGSO_TIMESTAMP"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    assert environ["HTTP_X_CONGSO_SIGNATURE"] == "sha256=" + expected.hexdigest()


def test_only_system_administrators_get_in(client, partner, tree, official_at):
    partner_client, _ = partner("dossiers.read")
    subscription, _secret = webhooks.subscribe(partner_client, "https://doitac.example.vn/h")
    log_in(client, official_at(tree["district"]))
    assert client.get(reverse("partners:webhooks")).status_code == 403
    assert (
        client.get(reverse("partners:webhook_deliveries", args=[subscription.pk])).status_code
        == 403
    )
    assert client.post(reverse("partners:webhooks"), {"url": "https://x.vn"}).status_code == 403
    assert not WebhookSubscription.objects.exclude(pk=subscription.pk).exists()
