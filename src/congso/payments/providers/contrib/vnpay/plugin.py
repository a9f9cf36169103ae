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
"""

import datetime as dt
import hashlib
import hmac
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ...base import InvalidSignature, Notice, Order, Provider
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


@registry.register("vnpay")
class VNPay(Provider):
    verbose_name = _("VNPay")
    version = "2.1.0"

    def __init__(self, url: str, tmn_code: str, secret: str, order_type: str = "other"):
        self.url, self.tmn_code, self.secret, self.order_type = url, tmn_code, secret, order_type

    @classmethod
    def from_settings(cls) -> "VNPay":
        return cls(
            settings.CONGSO_PAYMENT_URL,
            settings.CONGSO_PAYMENT_TMN_CODE,
            settings.CONGSO_PAYMENT_HASH_SECRET,
        )

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
        try:
            hundredths = int(signed.get("vnp_Amount", ""))
        except ValueError:
            hundredths = -1
        return Notice(
            ref=str(signed.get("vnp_TxnRef", "")),
            # an amount that is not whole dong can never match an order
            amount=hundredths // 100 if hundredths >= 0 and hundredths % 100 == 0 else -1,
            response_code=str(signed.get("vnp_ResponseCode", "")),
            transaction_status=str(signed.get("vnp_TransactionStatus", "")),
            transaction_no=str(signed.get("vnp_TransactionNo", ""))[:20],
            bank_code=str(signed.get("vnp_BankCode", ""))[:20],
            paid_at=parse_gmt7(str(signed.get("vnp_PayDate", ""))),
            terminal=str(signed.get("vnp_TmnCode", "")),
            raw=signed,
        )

    def ipn_answer(self, outcome: str) -> dict:
        code, message = IPN_ANSWERS[outcome]
        return {"RspCode": code, "Message": message}
