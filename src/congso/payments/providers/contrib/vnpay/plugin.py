"""The VNPay (version 2.1.0) payment provider, registered as ``vnpay``.

What was verified against VNPay's public integration guide (sandbox.vnpayment.vn/apis/docs,
"Hướng dẫn tích hợp" and "Chuyển đổi phiên bản và thuật toán mã hóa"):

* the payment URL is a GET to the gateway (sandbox ``/paymentv2/vpcpay.html``) carrying
  ``vnp_Version=2.1.0``, ``vnp_Command=pay``, ``vnp_TmnCode`` (8 characters, issued by VNPay),
  ``vnp_Amount`` (VND × 100, no separators: 10.000 đ → ``1000000``), ``vnp_CurrCode=VND``,
  ``vnp_TxnRef`` (unique per merchant and day), ``vnp_OrderInfo``, ``vnp_OrderType``,
  ``vnp_Locale`` (``vn``/``en``), ``vnp_ReturnUrl``, ``vnp_IpAddr``, ``vnp_CreateDate`` and
  ``vnp_ExpireDate`` (``yyyyMMddHHmmss``, GMT+7), optionally ``vnp_BankCode``;
* the checksum: parameters sorted by name, each ``name=quote_plus(value)`` joined with ``&``,
  HMAC-SHA512 with the hash secret, hex; sent as ``vnp_SecureHash``. Version 2.1.0 no longer
  sends ``vnp_SecureHashType`` (it is left out of the checksum when present);
* the return URL and the IPN carry ``vnp_Amount``, ``vnp_BankCode``, ``vnp_BankTranNo``,
  ``vnp_CardType``, ``vnp_OrderInfo``, ``vnp_PayDate``, ``vnp_ResponseCode``, ``vnp_TmnCode``,
  ``vnp_TransactionNo``, ``vnp_TransactionStatus``, ``vnp_TxnRef`` and the checksum, computed the
  same way; success is ``vnp_ResponseCode=00`` *and* ``vnp_TransactionStatus=00``; ``24`` is the
  customer cancelling;
* the IPN (a GET from VNPay's servers, retried until answered) is answered with JSON
  ``{"RspCode": ..., "Message": ...}``: ``00`` Confirm Success, ``01`` Order not found,
  ``02`` Order already confirmed, ``04`` Invalid amount, ``97`` Invalid signature,
  ``99`` Unknown error. VNPay stops retrying on ``00`` and ``02``.

From "API querydr, refund" (sandbox.vnpayment.vn/apis/docs/truy-van-hoan-tien):

* both are a JSON POST to ``/merchant_webapi/api/transaction`` with ``vnp_RequestId`` (unique
  per day), ``vnp_Version``, ``vnp_Command`` (``querydr`` / ``refund``), ``vnp_TmnCode``,
  ``vnp_TxnRef``, ``vnp_OrderInfo``, ``vnp_TransactionDate`` (the order's ``vnp_CreateDate``),
  ``vnp_CreateDate`` (now), ``vnp_IpAddr``; a refund adds ``vnp_TransactionType`` (``02`` whole,
  ``03`` part), ``vnp_Amount`` (× 100), ``vnp_TransactionNo`` and ``vnp_CreateBy``;
* their checksum is HMAC-SHA512 of the listed fields' values joined with ``|`` in a fixed
  order (not the sorted query of the payment URL), and so is the answer's;
* ``vnp_ResponseCode`` ``00`` means the request was processed (``91`` the order is unknown,
  ``94`` a repeated request, ``95`` refused, ``97`` bad checksum); the order's state is then in
  ``vnp_TransactionStatus``: ``00`` paid, ``01`` not finished, ``02`` failed, ``04`` reversed,
  ``05``/``06`` refund in progress, ``07`` suspected fraud, ``09`` refund refused.
"""

import csv
import datetime as dt
import hashlib
import hmac
import io
import secrets
from urllib.parse import quote_plus, urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ...base import (
    GatewayError,
    Inquiry,
    InvalidSignature,
    Notice,
    Order,
    Provider,
    RefundRequest,
    RefundResult,
    SettlementLine,
)
from ...http import get_text, post_json
from ...registry import registry

#: The secret the local sandbox gateway uses; production must never run with it.
SANDBOX_SECRET = "congso-sandbox-payment-secret"
GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"


#: IPN answers: outcome → (RspCode, Message), in VNPay's words.
IPN_ANSWERS = {
    "confirmed": ("00", "Confirm Success"),
    "not_found": ("01", "Order not found"),
    "already_confirmed": ("02", "Order already confirmed"),
    "invalid_amount": ("04", "Invalid amount"),
    "invalid_signature": ("97", "Invalid signature"),
    "error": ("99", "Unknown error"),
}


def canonical(params: dict) -> str:
    """Sorted ``name=value`` pairs, values ``quote_plus``-encoded, empty values left out."""
    return "&".join(
        f"{key}={quote_plus(str(value))}"
        for key, value in sorted(params.items())
        if value not in ("", None)
    )


def sign(params: dict, secret: str) -> str:
    data = canonical(params).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), data, hashlib.sha512).hexdigest()


def gmt7(moment: dt.datetime) -> str:
    return moment.astimezone(GMT7).strftime(DATE_FORMAT)


def parse_gmt7(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, DATE_FORMAT).replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


#: The fields each API checksum covers, in order (request and answer).
QUERY_FIELDS = [
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
]
REFUND_FIELDS = [
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
]
QUERY_ANSWER_FIELDS = [
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
]
REFUND_ANSWER_FIELDS = QUERY_ANSWER_FIELDS[:13]

#: ``vnp_TransactionStatus`` of a processed query → what became of the order.
QUERY_OUTCOMES = {
    "00": "paid",
    "01": "pending",
    "02": "failed",
    "04": "failed",
    "05": "paid",
    "06": "paid",
    "07": "pending",
    "09": "paid",
}


def pipe_sign(params: dict, fields, secret: str) -> str:
    """The API checksum: the values of ``fields`` in order, joined with ``|``, HMAC-SHA512."""
    data = "|".join(str(params.get(name, "") or "") for name in fields)
    return hmac.new(secret.encode("utf-8"), data.encode("utf-8"), hashlib.sha512).hexdigest()


@registry.register("vnpay")
class VNPay(Provider):
    verbose_name = _("VNPay")
    version = "2.1.0"

    def __init__(
        self,
        url: str,
        tmn_code: str,
        secret: str,
        order_type: str = "other",
        api_url: str = "",
        timeout: float = 20,
        settlement_url: str = "",
    ):
        self.url, self.tmn_code, self.secret, self.order_type = url, tmn_code, secret, order_type
        self.api_url, self.timeout, self.settlement_url = api_url, timeout, settlement_url

    @classmethod
    def from_settings(cls) -> "VNPay":
        return cls(
            settings.CONGSO_PAYMENT_URL,
            settings.CONGSO_PAYMENT_TMN_CODE,
            settings.CONGSO_PAYMENT_HASH_SECRET,
            api_url=settings.CONGSO_PAYMENT_API_URL,
            settlement_url=settings.CONGSO_PAYMENT_SETTLEMENT_URL,
        )

    @property
    def merchant_code(self) -> str:
        return self.tmn_code

    def ref_of(self, params: dict) -> str:
        return str(params.get("vnp_TxnRef", ""))

    @property
    def configured(self) -> bool:
        return bool(self.url and self.tmn_code and self.secret)

    def request_params(self, order: Order) -> dict:
        return {
            "vnp_Version": self.version,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(order.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": order.ref,
            "vnp_OrderInfo": order.info,
            "vnp_OrderType": self.order_type,
            "vnp_Locale": order.locale,
            "vnp_ReturnUrl": order.return_url,
            "vnp_IpAddr": order.client_ip,
            "vnp_CreateDate": gmt7(order.created_at),
            "vnp_ExpireDate": gmt7(order.expires_at),
        }

    def redirect_url(self, order: Order) -> str:
        params = self.request_params(order)
        return f"{self.url}?{canonical(params)}&vnp_SecureHash={sign(params, self.secret)}"

    def verify(self, params: dict) -> Notice:
        if not self.secret:
            # an HMAC with an empty key is one anybody can compute: fail closed
            raise InvalidSignature
        received = str(params.get("vnp_SecureHash", "")).lower()
        signed = {
            k: v
            for k, v in params.items()
            if k.startswith("vnp_") and k not in ("vnp_SecureHash", "vnp_SecureHashType")
        }
        if not received or not hmac.compare_digest(received, sign(signed, self.secret)):
            raise InvalidSignature
        return self._notice(signed)

    def ipn_answer(self, outcome: str) -> dict:
        code, message = IPN_ANSWERS[outcome]
        return {"RspCode": code, "Message": message}

    # --- the merchant API: querydr and refund ------------------------------------------------

    def _call(self, params: dict, fields, answer_fields) -> dict:
        if not (self.api_url and self.secret):
            raise GatewayError("vnpay: CONGSO_PAYMENT_API_URL or the hash secret is not set")
        params["vnp_SecureHash"] = pipe_sign(params, fields, self.secret)
        answer = post_json(self.api_url, params, timeout=self.timeout)
        received = str(answer.get("vnp_SecureHash", "")).lower()
        # an answer about a refused request (bad format, bad checksum) may come unsigned
        if answer.get("vnp_ResponseCode") in ("02", "03", "97", "99") and not received:
            raise GatewayError(f"vnpay refused the request: {answer.get('vnp_Message', '')}")
        if not hmac.compare_digest(received, pipe_sign(answer, answer_fields, self.secret)):
            raise GatewayError("vnpay: the answer's checksum does not match")
        if answer.get("vnp_TmnCode", self.tmn_code) != self.tmn_code:
            raise GatewayError("vnpay: the answer names another merchant")
        return answer

    def _common(self, command: str, ref: str, created_at: dt.datetime, info: str, ip: str):
        return {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": self.version,
            "vnp_Command": command,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": ref,
            "vnp_OrderInfo": info,
            "vnp_TransactionDate": gmt7(created_at),
            "vnp_CreateDate": gmt7(dt.datetime.now(dt.UTC)),
            "vnp_IpAddr": ip,
        }

    def query(self, ref: str, created_at: dt.datetime, info: str) -> Inquiry:
        params = self._common("querydr", ref, created_at, info or f"Truy van {ref}", "127.0.0.1")
        answer = self._call(params, QUERY_FIELDS, QUERY_ANSWER_FIELDS)
        code = str(answer.get("vnp_ResponseCode", ""))
        if code == "91":
            return Inquiry("unknown")
        if code != "00":
            raise GatewayError(f"vnpay querydr {code}: {answer.get('vnp_Message', '')}")
        if str(answer.get("vnp_TxnRef", "")) != ref:
            raise GatewayError("vnpay querydr answered about another order")
        status = str(answer.get("vnp_TransactionStatus", ""))
        notice = self._notice(answer, response_code=status)
        return Inquiry(QUERY_OUTCOMES.get(status, "pending"), notice)

    def refund(self, request: RefundRequest) -> RefundResult:
        params = self._common(
            "refund",
            request.ref,
            request.paid_at or request.created_at,
            request.reason[:255] or f"Hoan tien {request.ref}",
            request.client_ip,
        )
        params |= {
            "vnp_TransactionType": "02" if request.amount == request.paid_amount else "03",
            "vnp_Amount": str(request.amount * 100),
            "vnp_TransactionNo": request.transaction_no,
            "vnp_CreateBy": request.requested_by[:250] or "congso",
        }
        if request.request_id:
            params["vnp_RequestId"] = request.request_id[:32]
        answer = self._call(params, REFUND_FIELDS, REFUND_ANSWER_FIELDS)
        code = str(answer.get("vnp_ResponseCode", ""))
        return RefundResult(
            accepted=code == "00",
            code=code,
            message=str(answer.get("vnp_Message", ""))[:255],
            transaction_no=str(answer.get("vnp_TransactionNo", ""))[:20],
            raw=answer,
        )

    def settlement(self, day: dt.date) -> list[SettlementLine]:
        """The day's settlement file (GMT+7 day), fetched from ``CONGSO_PAYMENT_SETTLEMENT_URL``
        with the merchant API's signature; rows are read by their column names."""
        if not (self.settlement_url and self.secret):
            raise GatewayError("vnpay: CONGSO_PAYMENT_SETTLEMENT_URL or the hash secret is not set")
        query = {"vnp_TmnCode": self.tmn_code, "vnp_Date": day.strftime("%Y%m%d")}
        query["vnp_SecureHash"] = pipe_sign(query, ("vnp_TmnCode", "vnp_Date"), self.secret)
        text = get_text(f"{self.settlement_url}?{urlencode(query)}", timeout=self.timeout)
        lines = []
        for row in csv.DictReader(io.StringIO(text)):
            if row.get("vnp_TmnCode") != self.tmn_code or row.get("vnp_TransactionType") != "01":
                continue
            try:
                amount = int(row.get("vnp_Amount") or "") // 100
            except ValueError as exc:
                raise GatewayError(f"vnpay settlement: bad amount {row!r}") from exc
            lines.append(
                SettlementLine(
                    ref=row.get("vnp_TxnRef", ""),
                    transaction_no=row.get("vnp_TransactionNo", ""),
                    amount=amount,
                    paid_at=parse_gmt7(row.get("vnp_PayDate", "")),
                )
            )
        return lines

    def _notice(self, signed: dict, response_code: str | None = None) -> Notice:
        try:
            hundredths = int(signed.get("vnp_Amount", ""))
        except (TypeError, ValueError):
            hundredths = -1
        return Notice(
            ref=str(signed.get("vnp_TxnRef", "")),
            # an amount that is not whole dong can never match an order
            amount=hundredths // 100 if hundredths >= 0 and hundredths % 100 == 0 else -1,
            response_code=str(
                signed.get("vnp_ResponseCode", "") if response_code is None else response_code
            ),
            transaction_status=str(signed.get("vnp_TransactionStatus", "")),
            transaction_no=str(signed.get("vnp_TransactionNo", ""))[:20],
            bank_code=str(signed.get("vnp_BankCode", ""))[:20],
            paid_at=parse_gmt7(str(signed.get("vnp_PayDate", ""))),
            terminal=str(signed.get("vnp_TmnCode", "")),
            raw=signed,
        )
