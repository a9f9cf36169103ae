"""Draining e-mail rows to a real SMTP server (aiosmtpd), with retries and dead-lettering."""

import datetime as dt

import pytest
from django.utils import timezone

from congso.accounts.tests.factories import CitizenFactory
from congso.core.models import AuditRecord
from congso.notify import services
from congso.notify.models import Channel, Notification, Status
from congso.notify.services import drain, notify

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% gi\xe1y h\xe1\xba\xb9n\n"


def _email_row(**context) -> Notification:
    user = CitizenFactory(email="chi.hoa@example.vn")
    values = {
        "subject": "Giấy hẹn trả kết quả",
        "body": "Hồ sơ khai sinh đã được tiếp nhận.",
        **context,
    }
    rows = notify(
        user,
        "generic",
        values,
        channels=["email"],
        attachments=[("giấy-hẹn.pdf", PDF, "application/pdf")],
    )
    return rows[0]


def test_drain_sends_the_email_with_vietnamese_text_and_attachment(smtp_settings, settings):
    row = _email_row(name="Trần Thị Hoa")
    result = drain()
    assert (result.claimed, result.sent, result.retried, result.dead) == (1, 1, 0, 0)

    [message] = smtp_settings.messages
    assert message["Subject"] == "Giấy hẹn trả kết quả"
    assert message["To"] == "chi.hoa@example.vn"
    assert message["Message-ID"] == f"<congso-notification-{row.pk}@congso.local>"
    text = message.get_body(preferencelist=("plain",))
    assert text.get_content_charset() == "utf-8"
    assert "Kính gửi Trần Thị Hoa," in text.get_content()
    assert "Hồ sơ khai sinh đã được tiếp nhận." in text.get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "giấy-hẹn.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF

    row.refresh_from_db()
    assert row.status == Status.SENT and row.sent_at is not None
    assert row.attempts == 1 and row.locked_until is None and row.last_error == ""
    assert row.provider_message_id == message["Message-ID"]
    assert drain().claimed == 0


def test_one_connection_carries_a_whole_batch(smtp_settings):
    for i in range(3):
        notify(f"nguoi{i}@example.vn", "generic", {"subject": f"Thư {i}", "body": "Nội dung"})
    assert drain().sent == 3
    assert sorted(m["Subject"] for m in smtp_settings.messages) == ["Thư 0", "Thư 1", "Thư 2"]
    assert sorted(env.rcpt_tos[0] for env in smtp_settings.envelopes) == [
        "nguoi0@example.vn",
        "nguoi1@example.vn",
        "nguoi2@example.vn",
    ]


def test_smtp_failure_is_retried_with_exponential_backoff(closed_smtp_settings, settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    row = _email_row()
    before = timezone.now()
    assert drain().retried == 1
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == 1 and row.locked_until is None
    assert "ConnectionRefusedError" in row.last_error
    first_wait = row.next_attempt_at - before
    assert dt.timedelta(seconds=59) < first_wait < dt.timedelta(seconds=70)
    assert drain().claimed == 0  # not due before the backoff has passed

    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    before = timezone.now()
    assert drain().retried == 1
    row.refresh_from_db()
    assert row.attempts == 2
    assert dt.timedelta(seconds=119) < row.next_attempt_at - before < dt.timedelta(seconds=130)


def test_retry_delay_doubles_up_to_the_cap():
    delays = [services.retry_delay(n, base=60, cap=600).total_seconds() for n in range(1, 7)]
    assert delays == [60, 120, 240, 480, 600, 600]


def test_dead_after_max_attempts_and_audited(closed_smtp_settings, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    row = _email_row()
    outcomes = [drain() for _ in range(4)]
    assert [(o.retried, o.dead) for o in outcomes] == [(1, 0), (1, 0), (0, 1), (0, 0)]
    row.refresh_from_db()
    assert row.status == Status.DEAD and row.attempts == 3
    record = AuditRecord.objects.get(action="notify.dead")
    assert record.object_id == str(row.pk) and record.data["attempts"] == 3


def test_a_refused_recipient_is_dead_at_once(smtp_settings):
    smtp_settings.refused.add("khong-ton-tai@example.vn")
    [refused] = notify("khong-ton-tai@example.vn", "generic", {"subject": "s", "body": "b"})
    [fine] = notify("co-that@example.vn", "generic", {"subject": "s", "body": "b"})
    result = drain()
    assert (result.sent, result.dead) == (1, 1)
    refused.refresh_from_db()
    fine.refresh_from_db()
    assert refused.status == Status.DEAD and refused.attempts == 1
    assert "SMTPRecipientsRefused" in refused.last_error
    assert fine.status == Status.SENT


def test_requeue_dead_gives_fresh_attempts_after_the_cause_is_fixed(settings, smtp_server):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 5
    row = _email_row()
    assert drain().dead == 1
    settings.EMAIL_PORT = smtp_server.port  # the operator fixes the mail settings
    assert services.requeue_dead() == 1
    assert AuditRecord.objects.filter(action="notify.requeue").exists()
    assert drain().sent == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1
    assert len(smtp_server.handler.messages) == 1


def test_committed_notification_is_delivered_by_the_task_it_kicks(
    smtp_settings, django_capture_on_commit_callbacks, celery_eager
):
    """The whole chain with Celery in eager mode: commit → drain_outbox → SMTP."""
    with django_capture_on_commit_callbacks(execute=True):
        notify("eager@example.vn", "generic", {"subject": "Ngay lập tức", "body": "b"})
    assert [m["Subject"] for m in smtp_settings.messages] == ["Ngay lập tức"]
    assert Notification.objects.get(channel=Channel.EMAIL).status == Status.SENT


def test_in_app_rows_are_never_claimed(smtp_settings):
    notify(CitizenFactory(email=""), "generic", {"subject": "s", "body": "b"})
    assert Notification.objects.get().channel == Channel.IN_APP
    assert drain().claimed == 0
