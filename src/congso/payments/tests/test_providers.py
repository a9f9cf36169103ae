"""The VNPay provider: the redirect URL carries the 2.1.0 parameters, the amount × 100, dates in
GMT+7 and an HMAC-SHA512 checksum that this test recomputes on its own."""

import datetime as dt
import hashlib
import hmac
from urllib.parse import parse_qsl, quote_plus, urlsplit
from zoneinfo import ZoneInfo

import pytest

from congso.payments.providers.base import InvalidSignature, Order
from congso.payments.providers.contrib.vnpay.plugin import IPN_ANSWERS, VNPay

SECRET = "test-secret-123"
UTC = dt.UTC


def provider():
    return VNPay("https://gw.example/paymentv2/vpcpay.html", "TMN00001", SECRET)


def order(**overrides):
    fields = {
        "ref": "TT2026000042",
        "amount": 1_250_000,
        "info": "Thanh toan le phi ho so 000.09.29.H41-260309-0001",
        "created_at": dt.datetime(2026, 3, 9, 1, 2, 3, tzinfo=UTC),
        "expires_at": dt.datetime(2026, 3, 9, 1, 17, 3, tzinfo=UTC),
        "client_ip": "203.0.113.7",
        "return_url": "https://congso.example/payments/return/",
    }
    return Order(**(fields | overrides))


def own_hmac(pairs: list[tuple[str, str]]) -> str:
    data = "&".join(f"{k}={quote_plus(v)}" for k, v in sorted(pairs))
    return hmac.new(SECRET.encode(), data.encode(), hashlib.sha512).hexdigest()


def test_redirect_url_is_signed_with_hmac_sha512():
    url = provider().redirect_url(order())
    parts = urlsplit(url)
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://gw.example/paymentv2/vpcpay.html"
    )
    pairs = parse_qsl(parts.query)
    names = [k for k, _ in pairs]
    assert names[-1] == "vnp_SecureHash"
    signed = [(k, v) for k, v in pairs if k != "vnp_SecureHash"]
    assert names[:-1] == sorted(names[:-1])
    assert dict(pairs)["vnp_SecureHash"] == own_hmac(signed)
    assert len(dict(pairs)["vnp_SecureHash"]) == 128


def test_parameters_of_version_2_1_0():
    params = dict(parse_qsl(urlsplit(provider().redirect_url(order())).query))
    assert params["vnp_Version"] == "2.1.0"
    assert params["vnp_Command"] == "pay"
    assert params["vnp_TmnCode"] == "TMN00001"
    assert params["vnp_Amount"] == "125000000"  # 1.250.000 đ × 100
    assert params["vnp_CurrCode"] == "VND"
    assert params["vnp_TxnRef"] == "TT2026000042"
    assert params["vnp_IpAddr"] == "203.0.113.7"
    assert params["vnp_ReturnUrl"] == "https://congso.example/payments/return/"
    # 01:02:03 UTC is 08:02:03 in Vietnam (GMT+7)
    assert params["vnp_CreateDate"] == "20260309080203"
    assert params["vnp_ExpireDate"] == "20260309081703"
    assert "vnp_SecureHashType" not in params


@pytest.mark.parametrize("amount, sent", [(8000, "800000"), (1, "100"), (2_000_000, "200000000")])
def test_amount_is_sent_times_100(amount, sent):
    params = dict(parse_qsl(urlsplit(provider().redirect_url(order(amount=amount))).query))
    assert params["vnp_Amount"] == sent


def notice_params(**overrides):
    pairs = {
        "vnp_Amount": "125000000",
        "vnp_BankCode": "NCB",
        "vnp_PayDate": "20260309081000",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": "TMN00001",
        "vnp_TransactionNo": "14000123",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "TT2026000042",
    } | overrides
    return pairs | {"vnp_SecureHash": own_hmac(list(pairs.items())).upper()}


def test_verify_reads_a_signed_notice():
    notice = provider().verify(notice_params())
    assert notice.ref == "TT2026000042" and notice.amount == 1_250_000
    assert notice.succeeded and not notice.cancelled
    assert notice.transaction_no == "14000123" and notice.bank_code == "NCB"
    assert notice.paid_at == dt.datetime(2026, 3, 9, 8, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_cancel_and_failure_codes():
    assert provider().verify(notice_params(vnp_ResponseCode="24")).cancelled
    failed = provider().verify(notice_params(vnp_ResponseCode="51", vnp_TransactionStatus="02"))
    assert not failed.succeeded and not failed.cancelled


def test_changed_parameter_breaks_the_signature():
    params = notice_params()
    params["vnp_Amount"] = "100"
    with pytest.raises(InvalidSignature):
        provider().verify(params)


def test_missing_or_foreign_signature_is_refused():
    params = notice_params()
    del params["vnp_SecureHash"]
    with pytest.raises(InvalidSignature):
        provider().verify(params)
    other = VNPay("https://gw.example/", "TMN00001", "another-secret")
    with pytest.raises(InvalidSignature):
        other.verify(notice_params())


def test_amount_not_in_whole_dong_never_matches():
    assert provider().verify(notice_params(vnp_Amount="125000050")).amount == -1


def test_ipn_answers_use_vnpay_codes():
    answers = {k: provider().ipn_answer(k)["RspCode"] for k in IPN_ANSWERS}
    assert answers == {
        "confirmed": "00",
        "not_found": "01",
        "already_confirmed": "02",
        "invalid_amount": "04",
        "invalid_signature": "97",
        "error": "99",
    }
    assert provider().ipn_answer("confirmed") == {"RspCode": "00", "Message": "Confirm Success"}
