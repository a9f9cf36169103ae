"""The partner event feed: a subscription receives its unit's dossier and document events,
signed HMAC-SHA256 (checked here as a partner would), once each; failures are retried with
back-off and logged; events of other units and other kinds are not sent."""

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congso.api import webhooks
from congso.api.models import WebhookDelivery
from congso.core import audit

pytestmark = pytest.mark.django_db


def event(action, unit):
    return audit.record(
        action, object_type="onestop.dossier", object_id="7", object_repr="HS-7", unit_id=unit.pk
    )


def test_events_are_delivered_signed_and_once(partner, tree, receiver):
    client, _secret = partner("dossiers.read", unit=tree["district"])
    subscription, secret = webhooks.subscribe(client, receiver.url)
    event("onestop.receive", tree["commune_a"])  # below the partner's unit
    event("documents.issue", tree["district"])
    event("onestop.receive", tree["province"])  # above: not the partner's
    event("accounts.login", tree["district"])  # not a subscribed kind
    assert webhooks.collect() == 2
    assert webhooks.collect() == 0  # each event once
    assert webhooks.deliver() == {"delivered": 2, "retry": 0, "failed": 0}
    events = []
    for environ, body in receiver.got:
        timestamp = environ["HTTP_X_CONGSO_TIMESTAMP"]
        expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
        assert environ["HTTP_X_CONGSO_SIGNATURE"] == "sha256=" + expected.hexdigest()
        payload = json.loads(body)
        assert "data" not in payload  # no personal details in the feed
        events.append(payload["event"])
    assert events == ["onestop.receive", "documents.issue"]
    assert webhooks.deliver() == {"delivered": 0, "retry": 0, "failed": 0}


def test_failures_are_retried_with_back_off_and_logged(partner, tree, receiver, settings):
    settings.CONGSO_WEBHOOK_MAX_ATTEMPTS = 3
    client, _secret = partner("dossiers.read", unit=tree["district"])
    webhooks.subscribe(client, receiver.url)
    event("onestop.receive", tree["district"])
    webhooks.collect()
    receiver.answers.extend(["500 Internal Server Error", "503 Service Unavailable"])
    assert webhooks.deliver()["retry"] == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status == 500 and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now() + dt.timedelta(seconds=25)
    assert webhooks.deliver()["retry"] == 0  # not due yet
    assert webhooks.deliver(now=timezone.now() + dt.timedelta(minutes=1))["retry"] == 1
    assert webhooks.backoff(2) == dt.timedelta(minutes=1)
    assert webhooks.deliver(now=timezone.now() + dt.timedelta(minutes=5)) == {
        "delivered": 1,
        "retry": 0,
        "failed": 0,
    }
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.attempts == 3 and delivery.delivered_at


def test_a_dead_endpoint_fails_after_the_last_attempt(partner, tree, settings):
    settings.CONGSO_WEBHOOK_MAX_ATTEMPTS = 2
    client, _secret = partner("dossiers.read", unit=tree["district"])
    webhooks.subscribe(client, "http://127.0.0.1:9/hooks")
    event("documents.issue", tree["district"])
    webhooks.collect()
    webhooks.deliver()
    assert webhooks.deliver(now=timezone.now() + dt.timedelta(hours=1))["failed"] == 1
    assert WebhookDelivery.objects.get().last_error


def test_a_subscription_needs_an_address_and_events(partner, tree, settings):
    client, _secret = partner("dossiers.read")
    with pytest.raises(ValidationError):
        webhooks.subscribe(client, "ftp://x")
    with pytest.raises(ValidationError):
        webhooks.subscribe(client, "https://partner.example.vn/h", events=["accounts."])
    settings.PRODUCTION, settings.DEBUG = True, False
    with pytest.raises(ValidationError, match="https"):
        webhooks.subscribe(client, "http://partner.example.vn/h")
