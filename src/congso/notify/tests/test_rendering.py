"""Vietnamese notification texts rendered from the template files."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congso.notify import rendering
from congso.notify.models import Channel


def test_otp_template_has_email_and_sms_texts_in_vietnamese(settings):
    texts = rendering.render(
        "account.otp", {"code": "482913", "minutes": 10, "name": "Nguyễn Văn An"}
    )
    assert texts.subject == "Mã xác thực Công Sở của bạn"
    assert "Xin chào Nguyễn Văn An," in texts.body
    assert "Mã xác thực của bạn là: 482913" in texts.body
    assert "hiệu lực trong 10 phút" in texts.body
    assert "482913" in texts.sms and "10 phút" in texts.sms
    assert settings.PUBLIC_URL in texts.body
    assert all(texts.supports(c) for c in Channel.values)


def test_texts_are_not_html_escaped():
    texts = rendering.render("generic", {"subject": "Lịch họp <khẩn>", "body": 'A & B "đến"'})
    assert texts.subject == "Lịch họp <khẩn>"
    assert 'A & B "đến"' in texts.body


def test_subject_is_one_line_so_no_header_can_be_injected():
    texts = rendering.render(
        "generic", {"subject": "Tiêu đề\r\nBcc: ke-gian@example.com", "body": "x"}
    )
    assert "\n" not in texts.subject and "\r" not in texts.subject
    assert texts.subject == "Tiêu đề Bcc: ke-gian@example.com"


def test_site_path_becomes_a_full_link(settings):
    texts = rendering.render("generic", {"subject": "S", "body": "B", "url": "/ho-so/12/"})
    assert f"Xem chi tiết: {settings.PUBLIC_URL}/ho-so/12/" in texts.body


def test_dates_use_the_vietnamese_format():
    at = timezone.make_aware(dt.datetime(2025, 3, 7, 14, 5))
    texts = rendering.render("account.password_changed", {"at": at})
    assert "lúc 14:05 07/03/2025" in texts.body
    assert texts.sms is None
    assert not texts.supports(Channel.SMS)


@pytest.mark.parametrize("key", ["khong.ton.tai", "../../settings", "Generic", "a/b", ""])
def test_unknown_or_malformed_keys_are_refused(key):
    with pytest.raises(ValidationError):
        rendering.render(key, {})


def test_one_line_and_tidy():
    assert rendering.one_line("  a \n b\t c ", limit=4) == "a b "
    assert rendering.tidy("\n\nDòng 1   \n\n\n\nDòng 2\n\n") == "Dòng 1\n\nDòng 2"
