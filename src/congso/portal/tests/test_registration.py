"""Registering with a one-time code: real SMTP for e-mail, the local SMS sink for phones; codes
expire, wrong codes are counted, sending is rate-limited, nothing is created before the code."""

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from congso.accounts.models import User
from congso.notify.services import drain
from congso.notify.tests.conftest import sms_sink, smtp_server, smtp_settings  # noqa: F401
from congso.portal import registration
from congso.portal.models import PendingRegistration

PASSWORD = "Mat-khau-rat-dai-2026"
DATA = {
    "full_name": "Phan Thị Cúc",
    "id_number": "040301002345",
    "password": PASSWORD,
    "password2": PASSWORD,
}


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    from django.core.cache import cache

    cache.clear()


def _code_from_mail(handler) -> str:
    drain()
    message = handler.messages[-1]
    return re.search(r"\b(\d{6})\b", message.get_body().get_content()).group(1)


def test_register_by_email_through_the_pages(client, smtp_settings):  # noqa: F811
    response = client.post(reverse("portal:register"), {**DATA, "contact": "Cuc@Example.vn"})
    pending = PendingRegistration.objects.get()
    assert response.url == reverse("portal:register_confirm", args=[pending.public_id])
    assert not User.objects.exists()
    code = _code_from_mail(smtp_settings)
    assert smtp_settings.messages[-1]["To"] == "cuc@example.vn"
    wrong = client.post(response.url, {"code": "000000" if code != "000000" else "111111"})
    assert "còn 4 lần thử" in wrong.content.decode()
    done = client.post(response.url, {"code": code})
    assert done.url == reverse("portal:profile")
    user = User.objects.get(declared_id_number=DATA["id_number"])
    assert user.email == "cuc@example.vn" and user.check_password(PASSWORD)
    assert user.id_number is None  # typed, not proven
    assert not PendingRegistration.objects.exists()
    profile = client.get(reverse("portal:profile")).content.decode()
    assert DATA["id_number"] in profile and "chưa xác minh" in profile


def test_register_by_phone_through_the_sms_sink(sms_sink):  # noqa: F811
    pending = registration.start(**DATA, contact="0912 345 999")
    drain()
    [line] = [json.loads(x) for x in sms_sink.read_text().splitlines()]
    assert line["to"] == "+84912345999"
    code = re.search(r"\b(\d{6})\b", line["text"]).group(1)
    user = registration.confirm(pending, code)
    assert user.phone == "+84912345999" and user.kind == "citizen"


def test_code_expires(db):
    pending = registration.start(**DATA, contact="cuc@example.vn")
    pending.expires_at = timezone.now() - dt.timedelta(seconds=1)
    with pytest.raises(ValidationError, match="hết hạn"):
        registration.confirm(pending, "123456")


def test_attempts_are_limited(db):
    pending = registration.start(**DATA, contact="cuc@example.vn")
    for _ in range(registration.MAX_ATTEMPTS):
        with pytest.raises(ValidationError):
            registration.confirm(pending, "abcdef")
    with pytest.raises(registration.TooMany):
        registration.confirm(pending, "abcdef")
    assert not User.objects.exists()


def test_sending_is_rate_limited(db):
    pending = registration.start(**DATA, contact="cuc@example.vn")
    for _ in range(registration.SENDS_PER_ADDRESS - 1):
        registration.resend(pending)
    with pytest.raises(registration.TooMany):
        registration.resend(pending)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id_number": "12345"}, "id_number", "12 chữ số"),
        ({"id_number": "999301002345"}, "id_number", "mã tỉnh"),
        ({"contact": "0123"}, "contact", "Số điện thoại không hợp lệ"),
        ({"contact": "a@b"}, "contact", "Thư điện tử không hợp lệ"),
        ({"password2": "khac"}, "password2", "không giống nhau"),
        ({"full_name": " "}, "full_name", "Nhập họ và tên"),
    ],
)
def test_bad_registration_data(client, db, changes, field, message):
    response = client.post(
        reverse("portal:register"), {**DATA, "contact": "c@example.vn", **changes}
    )
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert f'href="#f-{field}"' in page and f'id="f-{field}-error"' in page
    assert not PendingRegistration.objects.exists()


def test_id_number_is_optional(db):
    pending = registration.start(**{**DATA, "id_number": ""}, contact="cuc@example.vn")
    assert pending.id_number == ""


def test_taken_id_number_is_not_revealed(db):
    """Whether a number has an account is nobody's business; the typed number stays declared."""
    from congso.accounts.tests.factories import CitizenFactory

    CitizenFactory(id_number=DATA["id_number"])
    pending = registration.start(**DATA, contact="cuc@example.vn")
    assert pending.id_number == DATA["id_number"]
