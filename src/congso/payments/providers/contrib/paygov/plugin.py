"""The national payment platform, registered as ``paygov``.

The national public-service portal's payment platform (PayGov, operated by NAPAS for the
Ministry) is not a payment gateway itself: it hands the citizen to the intermediary they choose
(NAPAS, VNPay, MoMo, Viettel Money...) and reports back. Its interface is issued to connected
systems on request and is not public; what is implemented here is the shape the provincial
integration platforms publish for the same service (e.g. the Ho Chi Minh City LGSP "Dịch vụ
thanh toán"): the connected system receives a partner code, an access key and a secret key;
every message is JSON; the platform creates the payment server to server and answers with the
address to send the citizen to; the result is notified to us by a JSON POST and can be queried;
refunds are requested through the API. **Check the field names against the document the
platform issues before going live** (``docs/integrations.md``); the sandbox
(``sandbox.paygov``) speaks exactly this shape.

* ``POST {base}/api/v1/payments/create``: ``partnerCode``, ``accessKey``, ``requestId``,
  ``orderId``, ``amount`` (VND, whole), ``orderInfo``, ``returnUrl``, ``notifyUrl``,
  ``expireTime`` (``yyyyMMddHHmmss``, GMT+7) → ``resultCode`` (0 = created), ``payUrl``,
  ``transactionId``. Creating an order already created answers the same ``payUrl``.
* the notification (JSON POST) and the browser return carry ``partnerCode``, ``orderId``,
  ``amount``, ``transactionId``, ``resultCode`` (0 paid, 1006 cancelled by the citizen, other
  failed), ``payChannel``, ``payTime``; our answer is JSON ``{"resultCode": n, "message": ...}``
  (0 confirmed, 2 already confirmed: the platform stops retrying on either).
* ``POST {base}/api/v1/payments/query``: ``orderId`` → ``resultCode`` (0, or 41 unknown order)
  and ``status`` ``SUCCESS`` / ``PENDING`` / ``FAILED`` / ``CANCELLED``.
* ``POST {base}/api/v1/payments/refund``: ``orderId``, ``transactionId``, ``amount``,
  ``description`` → ``resultCode`` 0 and the refund's ``transactionId``.
* the signature of every message, both ways: every field but ``signature``, sorted by name,
  ``name=value`` joined with ``&``, HMAC-SHA256 with the secret key, hex.
"""

import datetime as dt
import hashlib
import hmac
import secrets

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
    Reply,
)
from ...http import post_json
from ...registry import registry
from ..vnpay.plugin import gmt7, parse_gmt7

#: The secret the local sandbox platform uses; production must never run with it.
SANDBOX_SECRET = "congso-sandbox-paygov-secret"

#: Our answers to the notification: outcome → (resultCode, message).
IPN_ANSWERS = {
    "confirmed": (0, "Confirm success"),
    "not_found": (1, "Order not found"),
    "already_confirmed": (2, "Order already confirmed"),
    "invalid_amount": (4, "Invalid amount"),
    "invalid_signature": (97, "Invalid signature"),
    "error": (99, "Unknown error"),
}
CANCELLED = 1006
QUERY_OUTCOMES = {"SUCCESS": "paid", "FAILED": "failed", "CANCELLED": "failed"}


def signature(message: dict, secret: str) -> str:
    data = "&".join(
        f"{key}={'' if value is None else value}"
        for key, value in sorted(message.items())
        if key != "signature"
    )
    return hmac.new(secret.encode("utf-8"), data.encode("utf-8"), hashlib.sha256).hexdigest()


@registry.register("paygov")
class PayGov(Provider):
    verbose_name = _("Nền tảng thanh toán quốc gia (PayGov)")

    def __init__(self, base_url: str, partner_code: str, access_key: str, secret: str):
        self.base_url = base_url.rstrip("/")
        self.partner_code, self.access_key, self.secret = partner_code, access_key, secret
        self.timeout = 20

    @classmethod
    def from_settings(cls) -> "PayGov":
        return cls(
            settings.CONGSO_PAYGOV_URL,
            settings.CONGSO_PAYGOV_PARTNER_CODE,
            settings.CONGSO_PAYGOV_ACCESS_KEY,
            settings.CONGSO_PAYGOV_SECRET_KEY,
        )

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.partner_code and self.access_key and self.secret)

    @property
    def merchant_code(self) -> str:
        return self.partner_code

    def ref_of(self, params: dict) -> str:
        return str(params.get("orderId", ""))

    def _call(self, path: str, message: dict) -> dict:
        if not self.configured:
            raise GatewayError("paygov: CONGSO_PAYGOV_* settings are not all set")
        message = {
            "partnerCode": self.partner_code,
            "accessKey": self.access_key,
            "requestId": secrets.token_hex(16),
        } | message
        message["signature"] = signature(message, self.secret)
        answer = post_json(f"{self.base_url}{path}", message, timeout=self.timeout)
        received = str(answer.get("signature", ""))
        if not hmac.compare_digest(received, signature(answer, self.secret)):
            raise GatewayError(f"paygov {path}: the answer's signature does not match")
        return answer

    def redirect_url(self, order: Order) -> str:
        answer = self._call(
            "/api/v1/payments/create",
            {
                "orderId": order.ref,
                "amount": order.amount,
                "orderInfo": order.info,
                "returnUrl": order.return_url,
                "notifyUrl": order.notify_url,
                "expireTime": gmt7(order.expires_at),
            },
        )
        if answer.get("resultCode") != 0 or not str(answer.get("payUrl", "")).startswith("http"):
            raise GatewayError(f"paygov create {answer.get('resultCode')}: {answer.get('message')}")
        return str(answer["payUrl"])

    def verify(self, params: dict) -> Notice:
        if not self.secret:
            raise InvalidSignature
        received = str(params.get("signature", ""))
        if not received or not hmac.compare_digest(received, signature(params, self.secret)):
            raise InvalidSignature
        return self._notice(params, self._status(params.get("resultCode")))

    @staticmethod
    def _status(code) -> str:
        try:
            code = int(code)
        except (TypeError, ValueError):
            return "failed"
        return "paid" if code == 0 else "cancelled" if code == CANCELLED else "failed"

    def _notice(self, message: dict, status: str) -> Notice:
        try:
            amount = int(str(message.get("amount", "")))
        except ValueError:
            amount = -1
        code = str(message.get("resultCode", ""))
        return Notice(
            ref=str(message.get("orderId", "")),
            amount=amount,
            response_code=("00" if status == "paid" else code)[:4],
            transaction_status="00" if status == "paid" else "02",
            transaction_no=str(message.get("transactionId", ""))[:20],
            bank_code=str(message.get("payChannel", ""))[:20],
            paid_at=parse_gmt7(str(message.get("payTime", ""))),
            terminal=str(message.get("partnerCode", "")),
            raw=dict(message),
            status=status,
        )

    def ipn_answer(self, outcome: str) -> dict:
        code, message = IPN_ANSWERS[outcome]
        return {"resultCode": code, "message": message}

    def ipn_reply(self, outcome: str) -> Reply:
        reply = super().ipn_reply(outcome)
        reply.content_type = "application/json; charset=utf-8"
        return reply

    def query(self, ref: str, created_at: dt.datetime, info: str) -> Inquiry:
        answer = self._call("/api/v1/payments/query", {"orderId": ref})
        code = answer.get("resultCode")
        if code == 41:
            return Inquiry("unknown")
        if code != 0 or answer.get("orderId") != ref:
            raise GatewayError(f"paygov query {code}: {answer.get('message')}")
        outcome = QUERY_OUTCOMES.get(str(answer.get("status")), "pending")
        status = "cancelled" if answer.get("status") == "CANCELLED" else outcome
        return Inquiry(outcome, self._notice(answer, status))

    def refund(self, request: RefundRequest) -> RefundResult:
        answer = self._call(
            "/api/v1/payments/refund",
            {
                "orderId": request.ref,
                "transactionId": request.transaction_no,
                "amount": request.amount,
                "description": request.reason[:255],
            },
        )
        return RefundResult(
            accepted=answer.get("resultCode") == 0,
            code=str(answer.get("resultCode", "")),
            message=str(answer.get("message", ""))[:255],
            transaction_no=str(answer.get("transactionId", ""))[:20],
            raw=answer,
        )
