"""SMS through the provider contract: the local sink file and a real HTTP gateway."""

import json

import pytest

from congso.accounts.tests.factories import CitizenFactory
from congso.notify.models import Notification, Status
from congso.notify.services import drain, notify
from congso.notify.sms.base import SmsError, SmsProvider
from congso.notify.sms.contrib.http_gateway.plugin import HttpGatewayProvider
from congso.notify.sms.contrib.local_sink.plugin import LocalSinkProvider
from congso.notify.sms.registry import get_provider, registry

pytestmark = pytest.mark.django_db


def _otp_sms(code="246810", user=None) -> Notification:
    user = user or CitizenFactory(phone="0987654321")
    [row] = notify(user, "account.otp", {"code": code, "minutes": 5}, channels=["sms"])
    return row


def test_the_default_provider_is_the_local_sink(settings):
    assert settings.SMS_PROVIDER == "local_sink"
    assert isinstance(get_provider(), LocalSinkProvider)


def test_sink_appends_one_json_line_per_message(sms_sink):
    first = _otp_sms("111111")
    second = _otp_sms("222222", user=first.user)
    assert drain().sent == 2
    lines = [json.loads(line) for line in sms_sink.read_text(encoding="utf-8").splitlines()]
    assert [line["to"] for line in lines] == ["+84987654321", "+84987654321"]
    assert "mã xác thực của bạn là 111111" in lines[0]["text"]
    assert "222222" in lines[1]["text"]
    assert [line["reference"] for line in lines] == [
        f"congso-notification-{first.pk}",
        f"congso-notification-{second.pk}",
    ]
    first.refresh_from_db()
    assert first.status == Status.SENT and first.provider_message_id == lines[0]["id"]


def test_http_gateway_gets_the_documented_request(sms_gateway):
    sms_gateway.replies.append((201, {"id": "vt-778899"}))
    row = _otp_sms("135790")
    assert drain().sent == 1
    [request] = sms_gateway.requests
    assert request["path"] == "/v1/messages"
    assert request["headers"]["Authorization"] == "Bearer bi-mat-cua-cong"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(request["body"].decode("utf-8"))
    assert payload == {
        "to": "+84987654321",
        "text": "Công Sở: mã xác thực của bạn là 135790, hiệu lực 5 phút. "
        "Không chia sẻ mã này cho bất kỳ ai.",
        "reference": f"congso-notification-{row.pk}",
    }
    row.refresh_from_db()
    assert row.status == Status.SENT and row.provider_message_id == "vt-778899"


def test_gateway_server_error_is_retried_with_the_same_reference(sms_gateway, settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    sms_gateway.replies.extend([(503, {"error": "bận"}), (200, {"id": "ok-2"})])
    row = _otp_sms()
    assert drain().retried == 1
    row.refresh_from_db()
    assert row.status == Status.FAILED and "HTTP 503" in row.last_error
    assert drain().sent == 1
    references = [json.loads(r["body"])["reference"] for r in sms_gateway.requests]
    assert references == [f"congso-notification-{row.pk}"] * 2


def test_gateway_refusal_is_dead_at_once(sms_gateway):
    sms_gateway.replies.append((422, {"error": "số thuê bao không tồn tại"}))
    row = _otp_sms()
    assert drain().dead == 1
    row.refresh_from_db()
    assert row.status == Status.DEAD and row.attempts == 1 and "HTTP 422" in row.last_error


def test_unreachable_or_unconfigured_gateway_is_a_retry(settings):
    settings.SMS_PROVIDER = "http_gateway"
    settings.SMS_GATEWAY_URL = ""
    row = _otp_sms()
    assert drain().retried == 1
    row.refresh_from_db()
    assert "chưa được cấu hình" in row.last_error
    with pytest.raises(SmsError, match="Không kết nối được"):
        HttpGatewayProvider(url="http://127.0.0.1:1/", token="t").send("+84987654321", "x")


def test_a_province_plugs_in_its_own_provider_by_identifier(settings):
    settings.SMS_PROVIDER = "test_recording"
    RecordingProvider.sent.clear()
    _otp_sms("999000")
    assert drain().sent == 1
    assert (
        RecordingProvider.sent[0][0] == "+84987654321" and "999000" in RecordingProvider.sent[0][1]
    )


@registry.register("test_recording")
class RecordingProvider(SmsProvider):
    """A third-party provider as a province would write one."""

    sent: list[tuple[str, str]] = []

    def send(self, phone, text, *, reference=""):
        self.sent.append((phone, text))
        return f"p-{len(self.sent)}"
