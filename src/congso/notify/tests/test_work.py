"""Reminders of work due within one working day or late, once per (item, kind, due instant),
read from the inbox's providers; the morning digest for leaders; the bell and the preferences."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congso.accounts.models import Role
from congso.core import awaiting
from congso.notify import work
from congso.notify.models import Channel, Notification, Preference
from congso.notify.services import drain_until_idle, notify


@pytest.fixture
def pending_items(monkeypatch):
    """A provider whose items are set by the test (the contract every app implements)."""
    items: list[awaiting.Item] = []
    monkeypatch.setattr(
        awaiting, "_providers", {"test": lambda u, n: awaiting.Batch(len(items), items[:n])}
    )
    return items


def _item(reference, due_at, urgency=0):
    return awaiting.Item(
        "test", "Chờ duyệt", "Tờ trình", reference, f"/x/{reference}/", due_at, urgency
    )


def test_late_and_due_soon_told_once_and_sms_only_for_late(
    pending_items, official_at, tree, sms_sink
):
    leader = official_at(tree["district"], Role.LEADER, phone="0912345678")
    now = timezone.now()
    pending_items += [
        _item("LATE", now - dt.timedelta(hours=2)),
        _item("SOON", now + dt.timedelta(minutes=30)),
        _item("FAR", now + dt.timedelta(days=30)),
        _item("NODUE", None),
    ]
    assert work.remind(now) == 2
    assert work.remind(now) == 0  # idempotent: each (item, kind) once
    rows = Notification.objects.filter(user=leader)
    assert set(rows.values_list("template", "channel")) == {
        ("work.late", Channel.IN_APP),
        ("work.late", Channel.EMAIL),
        ("work.late", Channel.SMS),
        ("work.due_soon", Channel.IN_APP),
        ("work.due_soon", Channel.EMAIL),
    }
    assert rows.filter(template="work.late").first().url == "/x/LATE/"


def test_reminders_follow_the_preference(pending_items, official_at, tree):
    clerk = official_at(tree["district"], Role.CLERK)
    Preference.objects.create(user=clerk, due_reminders=False)
    pending_items.append(_item("LATE", timezone.now() - dt.timedelta(hours=1)))
    assert work.remind() == 0


def test_digest_for_leaders_by_default_over_smtp(pending_items, official_at, tree, smtp_settings):
    leader = official_at(tree["district"], Role.LEADER)
    official_at(tree["district"], Role.SPECIALIST)  # no digest unless asked for
    now = timezone.now()
    pending_items += [_item("A-1", now - dt.timedelta(hours=1), urgency=3), _item("A-2", None)]
    assert work.send_digests(now) == 1
    assert work.send_digests(now) == 0
    drain_until_idle()
    [mail] = smtp_settings.messages
    assert mail["To"] == leader.email
    assert "2 việc đang chờ, 1 quá hạn" in mail["Subject"]
    body = mail.get_content()
    assert "[Quá hạn] [Hỏa tốc] Chờ duyệt: Tờ trình (A-1)" in body and "/x/A-2/" in body


def test_bell_counts_unread_and_forgets_on_read(
    client, official_at, tree, django_capture_on_commit_callbacks
):
    clerk = official_at(tree["district"], Role.CLERK)
    client.force_login(clerk)
    assert "thông báo chưa đọc" not in client.get(reverse("inbox:mine")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # a new row forgets the cached count
        notify(clerk, "generic", {"subject": "Việc mới", "body": "Có việc"})
    page = client.get(reverse("inbox:mine")).content.decode()
    assert '1<span class="visually-hidden"> thông báo chưa đọc' in page
    client.post(reverse("notify:mark_all_read"))
    assert "thông báo chưa đọc" not in client.get(reverse("inbox:mine")).content.decode()


def test_preferences_page_saves_the_officials_choice(client, official_at, tree, citizen):
    leader = official_at(tree["district"], Role.LEADER)
    client.force_login(leader)
    page = client.get(reverse("notify:preferences"))
    assert page.context["form"].initial["digest"] is True  # leaders get the digest by default
    client.post(reverse("notify:preferences"), {"email": "on"})
    saved = Preference.objects.get(user=leader)
    assert (saved.email, saved.sms_urgent, saved.digest) == (True, False, False)
    client.force_login(citizen)  # a citizen's page offers only the channels for their dossiers
    assert list(client.get(reverse("notify:preferences")).context["form"].fields) == [
        "email",
        "sms_urgent",
    ]
