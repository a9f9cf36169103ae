"""``/api/v1/notifications/``: the caller's own in-app notifications only."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from congso.accounts.tests.factories import CitizenFactory
from congso.notify.models import Notification
from congso.notify.tests.factories import InAppNotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    user = CitizenFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client.user = user
    return client


def test_needs_authentication():
    response = APIClient().get("/api/v1/notifications/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_lists_only_own_in_app_notifications_newest_first_paginated(api):
    rows = InAppNotificationFactory.create_batch(3, user=api.user)
    InAppNotificationFactory(subject="Của người khác")
    response = api.get("/api/v1/notifications/?page_size=2")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3 and data["next"] is not None
    assert [item["id"] for item in data["results"]] == [rows[2].pk, rows[1].pk]
    assert data["results"][0]["is_unread"] is True
    assert set(data["results"][0]) == {
        "id",
        "template",
        "subject",
        "body",
        "url",
        "created_at",
        "read_at",
        "is_unread",
    }


def test_unread_filter(api):
    read, unread = InAppNotificationFactory.create_batch(2, user=api.user)
    api.post(f"/api/v1/notifications/{read.pk}/read/")
    data = api.get("/api/v1/notifications/?unread=true").json()
    assert [item["id"] for item in data["results"]] == [unread.pk]


def test_mark_read(api):
    row = InAppNotificationFactory(user=api.user)
    response = api.post(f"/api/v1/notifications/{row.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_unread"] is False and response.json()["read_at"]
    first_read = Notification.objects.get(pk=row.pk).read_at
    api.post(f"/api/v1/notifications/{row.pk}/read/")
    assert Notification.objects.get(pk=row.pk).read_at == first_read


def test_another_users_notification_is_404_not_403(api):
    theirs = InAppNotificationFactory()
    response = api.post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Không tìm thấy đối tượng yêu cầu."
    assert api.post("/api/v1/notifications/999999/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_touches_only_the_callers_rows(api):
    InAppNotificationFactory.create_batch(2, user=api.user)
    theirs = InAppNotificationFactory()
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_schema_documents_the_endpoints(api):
    schema = api.get("/api/schema/?format=json").json()
    assert "/api/v1/notifications/" in schema["paths"]
    assert "/api/v1/notifications/{id}/read/" in schema["paths"]
