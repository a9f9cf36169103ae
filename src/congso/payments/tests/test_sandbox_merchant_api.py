"""The sandbox's merchant API (querydr, refund) refuses what VNPay refuses: a wrong checksum
(97), another merchant (02), a repeated request id (94), an unknown order (91); and the
provider refuses an answer whose checksum does not match (a man in the middle)."""

import datetime as dt

import pytest
from sandbox.payment import start_in_thread

from congso.payments.providers.base import GatewayError
from congso.payments.providers.contrib.vnpay.plugin import QUERY_FIELDS, VNPay, pipe_sign
from congso.payments.providers.http import post_json

SECRET = "s3cret"


@pytest.fixture
def running():
    running = start_in_thread(tmn_code="TESTTMN1", secret=SECRET, ipn_url="http://127.0.0.1:9/")
    yield running
    running.stop()


def api(running):
    return running.base_url + "/merchant_webapi/api/transaction"


def request(**overrides):
    params = {
        "vnp_RequestId": "R1",
        "vnp_Version": "2.1.0",
        "vnp_Command": "querydr",
        "vnp_TmnCode": "TESTTMN1",
        "vnp_TxnRef": "TT1",
        "vnp_OrderInfo": "q",
        "vnp_TransactionDate": "20260101000000",
        "vnp_CreateDate": "20260101000100",
        "vnp_IpAddr": "127.0.0.1",
    } | overrides
    params["vnp_SecureHash"] = pipe_sign(params, QUERY_FIELDS, SECRET)
    return params


def test_the_sandbox_refuses_bad_requests(running):
    assert post_json(api(running), request())["vnp_ResponseCode"] == "91"
    assert post_json(api(running), request())["vnp_ResponseCode"] == "94"  # same request id
    forged = request(vnp_RequestId="R2") | {"vnp_TxnRef": "TT2"}
    assert post_json(api(running), forged)["vnp_ResponseCode"] == "97"
    other = request(vnp_RequestId="R3", vnp_TmnCode="OTHER001")
    assert post_json(api(running), other)["vnp_ResponseCode"] == "02"


def test_a_provider_with_another_secret_gets_no_answer_it_trusts(running):
    provider = VNPay("", "TESTTMN1", "another-secret", api_url=api(running))
    with pytest.raises(GatewayError):
        provider.query("TT1", dt.datetime.now(dt.UTC), "q")
    good = VNPay("", "TESTTMN1", SECRET, api_url=api(running))
    assert good.query("TT1", dt.datetime.now(dt.UTC), "q").outcome == "unknown"


def test_an_unreachable_gateway_is_a_gateway_error():
    provider = VNPay("", "TESTTMN1", SECRET, api_url="http://127.0.0.1:9/api")
    with pytest.raises(GatewayError):
        provider.query("TT1", dt.datetime.now(dt.UTC), "q")
