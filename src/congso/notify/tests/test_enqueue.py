"""``notify()`` writes outbox rows inside the caller's transaction."""

import base64
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from congso.accounts.tests.factories import CitizenFactory
from congso.core.models import AuditRecord
from congso.notify import services
from congso.notify.models import Channel, Notification, Status
from congso.notify.services import notify

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_rows_roll_back_with_the_callers_transaction():
    user = CitizenFactory()
    with pytest.raises(Boom), transaction.atomic():
        notify(user, "generic", {"subject": "Hồ sơ", "body": "Đã tiếp nhận"})
        assert Notification.objects.count() == 2
        raise Boom
    assert Notification.objects.count() == 0
    assert not AuditRecord.objects.filter(action="notify.enqueue").exists()


def test_commit_asks_a_worker_to_drain_and_a_rollback_does_not(django_capture_on_commit_callbacks):
    user = CitizenFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        notify(user, "generic", {"subject": "Hồ sơ", "body": "Đã tiếp nhận"})
    assert callbacks[0] == services._kick_worker  # then the bell's cached count is forgotten
    assert len(callbacks) == 2
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        notify(user, "generic", {"subject": "Hồ sơ", "body": "Đã tiếp nhận"})
        raise Boom
    assert callbacks == []


def test_a_user_gets_in_app_and_email_by_default_and_in_app_is_sent_at_once():
    user = CitizenFactory(email="an@example.vn", phone="0912345678")
    rows = notify(user, "generic", {"subject": "Lịch tiếp dân", "body": "Thứ Năm, 9 giờ."})
    by_channel = {r.channel: r for r in rows}
    assert set(by_channel) == {Channel.IN_APP, Channel.EMAIL}
    in_app, mail = by_channel[Channel.IN_APP], by_channel[Channel.EMAIL]
    assert in_app.status == Status.SENT and in_app.sent_at is not None and in_app.read_at is None
    assert in_app.user == user and in_app.address == ""
    assert mail.status == Status.PENDING and mail.address == "an@example.vn"
    assert mail.subject == "Lịch tiếp dân" and "Thứ Năm, 9 giờ." in mail.body


def test_sms_to_a_user_only_when_asked_and_only_if_they_have_a_phone():
    with_phone = CitizenFactory(phone="0912345678")
    rows = notify(with_phone, "account.otp", {"code": "123456"}, channels=["sms"])
    assert [(r.channel, r.address) for r in rows] == [(Channel.SMS, "+84912345678")]
    assert "123456" in rows[0].body and rows[0].subject == ""
    without_phone = CitizenFactory(phone=None, email="")
    assert notify(without_phone, "account.otp", {"code": "1"}, channels=["sms", "email"]) == []


def test_bare_addresses_choose_their_own_channel():
    [mail] = notify("co.ba@example.vn", "account.otp", {"code": "7"})
    [text] = notify("091 234 5678", "account.otp", {"code": "7"})
    assert (mail.channel, mail.user) == (Channel.EMAIL, None)
    assert (text.channel, text.address) == (Channel.SMS, "+84912345678")


@pytest.mark.parametrize(
    ("recipient", "template", "channels", "message"),
    [
        ("khong-phai-thu@", "generic", None, "Địa chỉ thư điện tử không hợp lệ"),
        ("12345", "generic", None, "Số điện thoại không hợp lệ"),
        ("a@example.vn", "generic", ["fax"], "Kênh thông báo không hợp lệ"),
        ("a@example.vn", "account.password_changed", ["sms"], "không có nội dung cho kênh"),
        ("a@example.vn", "khong.co.mau", None, "Không có mẫu thông báo"),
        (None, "generic", None, "cần người nhận"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(
    recipient, template, channels, message
):
    with pytest.raises(ValidationError) as error:
        notify(recipient, template, {"subject": "s", "body": "b"}, channels=channels)
    assert message in " ".join(error.value.messages)
    assert Notification.objects.count() == 0


def test_dedup_key_makes_enqueueing_idempotent():
    user = CitizenFactory()
    key = f"meeting-7-reminder-1h-user-{user.pk}"
    first = notify(user, "generic", {"subject": "Họp lúc 14:00", "body": "x"}, dedup_key=key)
    second = notify(user, "generic", {"subject": "Họp lúc 14:00", "body": "x"}, dedup_key=key)
    assert [r.pk for r in first] == [r.pk for r in second]
    assert Notification.objects.count() == 2
    assert AuditRecord.objects.filter(action="notify.enqueue").count() == 1
    other = notify(user, "generic", {"subject": "Họp", "body": "x"}, dedup_key=key + "-b")
    assert Notification.objects.count() == 4 and {r.pk for r in other}.isdisjoint(
        {r.pk for r in first}
    )


def test_enqueue_is_audited_without_the_message_text():
    user = CitizenFactory()
    rows = notify(user, "account.otp", {"code": "998877"})
    record = AuditRecord.objects.get(action="notify.enqueue")
    assert record.data["ids"] == [r.pk for r in rows]
    assert record.data["template"] == "account.otp"
    assert "998877" not in str(record.data)


def test_context_is_stored_as_json_even_with_objects():
    user = CitizenFactory()
    [row] = notify(user, "generic", {"subject": "s", "body": "b", "who": user}, channels=["in_app"])
    row.refresh_from_db()
    assert row.context["who"] == str(user)


def test_attachments_are_kept_for_email_only_and_size_checked(settings):
    user = CitizenFactory()
    rows = notify(
        user,
        "generic",
        {"subject": "Giấy hẹn", "body": "Đính kèm giấy hẹn."},
        attachments=[("../giay-hen.pdf", b"%PDF-1.7 ...", "application/pdf")],
    )
    mail = next(r for r in rows if r.channel == Channel.EMAIL)
    in_app = next(r for r in rows if r.channel == Channel.IN_APP)
    assert mail.attachments == [
        {
            "filename": "giay-hen.pdf",
            "content_type": "application/pdf",
            "base64": base64.b64encode(b"%PDF-1.7 ...").decode(),
        }
    ]
    assert in_app.attachments == []
    settings.NOTIFY_MAX_ATTACHMENT_BYTES = 10
    with pytest.raises(ValidationError, match="Tệp đính kèm quá lớn"):
        notify(
            user, "generic", {"subject": "s", "body": "b"}, attachments=[("a.txt", "x" * 11, "")]
        )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/x", "ftp://x/y"])
def test_only_site_paths_and_web_addresses_become_links(url):
    with pytest.raises(ValidationError, match="Liên kết"):
        notify(CitizenFactory(), "generic", {"subject": "s", "body": "b", "url": url})


def test_site_paths_and_web_addresses_are_kept_as_links():
    user = CitizenFactory()
    [row] = notify(user, "generic", {"subject": "s", "body": "b", "url": "/ho-so/1/"}, ["in_app"])
    assert row.url == "/ho-so/1/"
    [row] = notify(
        user,
        "generic",
        {"subject": "s", "body": "b", "url": "https://dichvucong.gov.vn/"},
        ["in_app"],
    )
    assert row.url == "https://dichvucong.gov.vn/"


@pytest.mark.django_db(transaction=True)
def test_dedup_holds_when_two_callers_race():
    """Two transactions enqueue the same reminder at the same moment: one set of rows. On
    PostgreSQL the loser waits on the unique index, then finds the winner's rows; SQLite takes the
    write lock at BEGIN, so the callers meet before it."""
    user = CitizenFactory()
    barrier = threading.Barrier(2)
    results, errors = [None, None], []
    meet_inside = connection.vendor == "postgresql"

    def caller(slot: int) -> None:
        try:
            if not meet_inside:
                barrier.wait(10)
            with transaction.atomic():
                if meet_inside:
                    barrier.wait(10)
                rows = notify(user, "generic", {"subject": "Họp", "body": "b"}, dedup_key="hop-1")
                results[slot] = sorted(r.pk for r in rows)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert results[0] == results[1] and len(results[0]) == 2
    assert Notification.objects.count() == 2
    assert AuditRecord.objects.filter(action="notify.enqueue").count() == 1
