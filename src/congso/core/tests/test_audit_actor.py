"""The audit log names who really acted: the token's user for an API write (the token is checked
after the middleware ran), and the job for a background task."""

import pytest
from celery import shared_task
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from congso.accounts.tests.factories import CitizenFactory
from congso.catalog.tests.factories import ProcedureFactory
from congso.core import audit
from congso.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_a_token_api_write_names_the_tokens_user():
    citizen, procedure = CitizenFactory(), ProcedureFactory()
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=citizen).key}")
    response = client.post("/api/v1/portal/drafts/", {"procedure": procedure.code}, format="json")
    assert response.status_code == 201, response.json()
    entry = AuditRecord.objects.get(action="portal.draft_start")
    assert (entry.actor_id, entry.actor, entry.ip) == (
        citizen.pk,
        citizen.get_username(),
        "198.51.100.7",
    )


@shared_task
def _write_from_a_job():
    return audit.record("test.job", object_type="x", object_id="1").pk


def test_a_task_names_itself():
    pk = _write_from_a_job.apply().get()
    entry = AuditRecord.objects.get(pk=pk)
    assert (entry.actor_id, entry.actor) == (None, f"system:{_write_from_a_job.name}")
