"""Failed logins and lockouts reach the audit log, for known and unknown accounts alike."""

import pytest
from django.conf import settings
from django.urls import reverse

from congso.accounts.tests.factories import OfficialFactory
from congso.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _fail(client, username):
    client.post(
        reverse("accounts:login"),
        {"username": username, "password": "sai-mat-khau"},
        REMOTE_ADDR="198.51.100.7",
    )


def test_every_failure_and_the_lockout_are_audited_with_the_address(client):
    user = OfficialFactory(username="cb.nhatky")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _fail(client, "cb.nhatky")
    failures = AuditRecord.objects.filter(action="accounts.login.failure", object_id=str(user.pk))
    assert failures.count() == settings.LOGIN_MAX_FAILURES
    assert {r.ip for r in failures} == {"198.51.100.7"}
    lockout = AuditRecord.objects.get(action="accounts.login.lockout", object_id=str(user.pk))
    assert lockout.data["factor"] == "password" and lockout.data["ip"] == "198.51.100.7"


def test_api_failures_are_audited_too(client):
    user = OfficialFactory(username="cb.api")
    client.post(
        reverse("api-token"),
        {"username": "cb.api", "password": "sai"},
        content_type="application/json",
    )
    assert AuditRecord.objects.filter(
        action="accounts.login.failure", object_id=str(user.pk)
    ).exists()


def test_unknown_accounts_are_audited_without_an_object(client):
    _fail(client, "khong.co.ai")
    record = AuditRecord.objects.get(action="accounts.login.failure")
    assert record.object_id == "-" and record.object_repr == "khong.co.ai"
