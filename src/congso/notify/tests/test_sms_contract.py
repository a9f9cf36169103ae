"""The contract every SMS provider passes, run against each provider's far end — the local sink's
file and the sandbox brandname gateway (``sandbox.sms``, the ``http_gateway`` protocol): a text
reaches the number intact (Vietnamese, UTF-8) with its reference and the provider's id; a
gateway's refusal for good is ``SmsRejected`` (not retried) and a passing failure ``SmsError``
(retried by the outbox)."""

import json

import pytest
from sandbox.sms import start_in_thread

from congso.notify.sms.base import SmsError, SmsRejected
from congso.notify.sms.registry import get_provider

TEXT = "Mã xác thực của ông/bà là 482913. Không chia sẻ mã này."


class SinkEnd:
    identifier, can_refuse = "local_sink", False

    def __init__(self, settings, tmp_path):
        settings.SMS_PROVIDER, settings.VAR_DIR = "local_sink", tmp_path
        self.path = tmp_path / "sms.jsonl"

    def received(self) -> list[dict]:
        return [json.loads(line) for line in self.path.read_text().splitlines()]

    def stop(self):
        return None


class GatewayEnd:
    identifier, can_refuse = "http_gateway", True

    def __init__(self, settings, tmp_path):
        self.running = start_in_thread()
        settings.SMS_PROVIDER = "http_gateway"
        settings.SMS_GATEWAY_URL = self.running.url
        settings.SMS_GATEWAY_TOKEN = self.running.gateway.token

    def received(self) -> list[dict]:
        return self.running.gateway.messages

    def stop(self):
        self.running.stop()


@pytest.fixture(params=[SinkEnd, GatewayEnd], ids=["local_sink", "http_gateway"])
def far_end(request, settings, tmp_path):
    end = request.param(settings, tmp_path)
    yield end
    end.stop()


def test_a_text_reaches_the_number_intact(far_end):
    provider = get_provider()
    assert provider.identifier == far_end.identifier
    message_id = provider.send("+84912345678", TEXT, reference="congso-notification-7")
    [received] = far_end.received()
    assert (received["to"], received["text"], received["reference"]) == (
        "+84912345678",
        TEXT,
        "congso-notification-7",
    )
    assert message_id and received["id"] == message_id


def test_refusals_for_good_and_passing_failures_are_told_apart(far_end, settings):
    if not far_end.can_refuse:
        pytest.skip("the local sink refuses nothing: it only writes a file")
    with pytest.raises(SmsRejected):
        get_provider().send("0912345678", TEXT)  # not E.164
    far_end.running.gateway.fail_next = 1
    with pytest.raises(SmsError) as caught:
        get_provider().send("+84912345678", TEXT, reference="r-1")
    assert not isinstance(caught.value, SmsRejected)
    first = get_provider().send("+84912345678", TEXT, reference="r-1")  # the retry
    assert get_provider().send("+84912345678", TEXT, reference="r-1") == first  # sent once
    settings.SMS_GATEWAY_TOKEN = "sai"
    with pytest.raises(SmsRejected):
        get_provider().send("+84912345678", TEXT)
    assert len(far_end.received()) == 1
