"""``?changed_since=`` on the documents list: only documents with a change recorded at or after
the moment; a value that is not a date-time is a 400 in the one error format."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from congso.documents import services

pytestmark = pytest.mark.django_db


def test_only_documents_changed_since_are_listed(draft, people):
    first, second = draft(subject="Văn bản thứ nhất"), draft(subject="Văn bản thứ hai")
    client = APIClient()
    client.force_authenticate(people["specialist"])
    everything = client.get("/api/v1/documents/").json()["results"]
    assert {d["id"] for d in everything} >= {first.pk, second.pk}
    moment = timezone.now()
    services.transition(first, "submit", actor=people["specialist"])
    changed = client.get("/api/v1/documents/", {"changed_since": moment.isoformat()}).json()
    assert [d["id"] for d in changed["results"]] == [first.pk]
    later = (timezone.now() + dt.timedelta(minutes=1)).isoformat()
    assert client.get("/api/v1/documents/", {"changed_since": later}).json()["results"] == []
    bad = client.get("/api/v1/documents/", {"changed_since": "hôm qua"})
    assert bad.status_code == 400 and "changed_since" in str(bad.json())
