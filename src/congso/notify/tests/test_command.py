"""``python -m congso notify_drain``: one drain for operators, with counts."""

import io

import pytest
from django.core.management import call_command

from congso.notify.models import Notification, Status
from congso.notify.services import notify

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("notify_drain", *args, stdout=out)
    return out.getvalue()


def test_drain_once_prints_counts(smtp_settings, sms_sink):
    notify("mot@example.vn", "generic", {"subject": "Một", "body": "b"})
    notify("hai@example.vn", "generic", {"subject": "Hai", "body": "b"})
    notify("0912345678", "account.otp", {"code": "1"})
    output = _run("--batch", "2")
    assert "Đã nhận xử lý: 2; đã gửi: 2;" in output
    assert "còn trong hàng đợi: 1." in output
    output = _run("--all")
    assert "đã gửi: 1;" in output and "còn trong hàng đợi: 0." in output
    assert len(smtp_settings.messages) == 2 and sms_sink.exists()


def test_requeue_dead_then_drain(smtp_settings, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    smtp_settings.refused.add("tam.loi@example.vn")
    [row] = notify("tam.loi@example.vn", "generic", {"subject": "s", "body": "b"})
    assert "thất bại hẳn: 1;" in _run()
    smtp_settings.refused.clear()
    output = _run("--requeue-dead")
    assert "Đưa lại vào hàng đợi: 1 thông báo thất bại." in output
    assert "đã gửi: 1;" in output
    assert Notification.objects.get(pk=row.pk).status == Status.SENT
