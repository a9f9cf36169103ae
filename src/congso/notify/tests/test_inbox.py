"""The inbox page: a user's own in-app notifications, read marks, and nobody else's."""

import pytest
from django.urls import reverse

from congso.accounts.tests.factories import CitizenFactory
from congso.notify.models import Notification
from congso.notify.services import notify
from congso.notify.tests.factories import InAppNotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    user = CitizenFactory()
    client.force_login(user)
    return user


def test_inbox_needs_login(client):
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_inbox_is_mounted_at_notifications():
    assert reverse("notify:inbox") == "/notifications/"


def test_inbox_lists_own_notifications_newest_first_unread_marked(client, reader):
    notify(reader, "generic", {"subject": "Hồ sơ đã tiếp nhận", "body": "Mã hồ sơ 000.01"})
    notify(reader, "generic", {"subject": "Hồ sơ đã có kết quả", "body": "Mời đến nhận"})
    Notification.objects.filter(subject="Hồ sơ đã tiếp nhận").update(read_at="2025-01-02T03:04:05Z")
    InAppNotificationFactory(subject="Thư của người khác")
    page = client.get(reverse("notify:inbox")).content.decode()
    assert page.index("Hồ sơ đã có kết quả") < page.index("Hồ sơ đã tiếp nhận")
    assert "Thư của người khác" not in page
    assert page.count("Chưa đọc</span>") == 1
    assert "Bạn có 1 thông báo chưa đọc." in page
    assert "đã đọc lúc 10:04 02/01/2025" in page


def test_inbox_is_paginated(client, reader):
    InAppNotificationFactory.create_batch(25, user=reader)
    first = client.get(reverse("notify:inbox")).content.decode()
    second = client.get(reverse("notify:inbox") + "?page=2").content.decode()
    assert first.count('<li class="card') == 20 and second.count('<li class="card') == 5
    assert "Trang 1/2" in first


def test_mark_one_read_then_all(client, reader):
    one, two, three = InAppNotificationFactory.create_batch(3, user=reader)
    response = client.post(reverse("notify:mark_read", args=[one.pk]), {"page": "1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    one.refresh_from_db()
    assert one.read_at is not None
    response = client.post(reverse("notify:mark_all_read"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert Notification.objects.filter(user=reader, read_at__isnull=True).count() == 0


def test_open_marks_read_and_goes_to_the_link(client, reader):
    [row] = notify(reader, "generic", {"subject": "s", "body": "b", "url": "/ho-so/5/"}, ["in_app"])
    response = client.post(reverse("notify:mark_read", args=[row.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/ho-so/5/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_another_users_notification_is_a_404_and_stays_unread(client, reader):
    theirs = InAppNotificationFactory()
    response = client.post(reverse("notify:mark_read", args=[theirs.pk]))
    assert response.status_code == 404
    client.post(reverse("notify:mark_all_read"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_needs_post(client, reader):
    mine = InAppNotificationFactory(user=reader)
    assert client.get(reverse("notify:mark_read", args=[mine.pk])).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


def test_email_rows_never_show_in_the_inbox(client, reader):
    notify(reader, "generic", {"subject": "Chỉ gửi thư", "body": "b"}, channels=["email"])
    assert "Chỉ gửi thư" not in client.get(reverse("notify:inbox")).content.decode()
    assert "Bạn chưa có thông báo nào." in client.get(reverse("notify:inbox")).content.decode()
