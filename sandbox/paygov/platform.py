"""A local stand-in for the national payment platform (PayGov), for development and tests.

A plain WSGI application (standard library only), written from the message shapes listed in
``congso.payments.providers.contrib.paygov`` independently of that plugin, so each checks the
other. JSON API, every message signed with HMAC-SHA256 over its sorted ``name=value`` pairs:

* ``POST /api/v1/payments/create`` — checks partner, access key, signature, amount and expiry;
  answers ``payUrl`` (idempotent: the same ``orderId`` and amount answer the same address; a
  different amount is refused);
* ``GET /pay/<transactionId>`` — the citizen picks a channel and pays or cancels;
  ``POST /pay/<transactionId>`` decides, notifies ``notifyUrl`` by a JSON POST (retried in the
  background until the answer's ``resultCode`` is 0 or 2) and redirects to ``returnUrl`` with
  the signed result in the query string;
* ``POST /api/v1/payments/query`` and ``POST /api/v1/payments/refund``.

``drop_ipn`` loses every notification (tests of the reconciliation).
"""

import datetime as dt
import hashlib
import hmac
import html
import itertools
import json
import logging
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sandbox.wsgi import form_values

log = logging.getLogger(__name__)
GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
STAMP = "%Y%m%d%H%M%S"
CHANNELS = {"NAPAS": "Thẻ ATM nội địa (NAPAS)", "VNPAY": "VNPAY-QR", "MOMO": "Ví MoMo"}
CANCELLED = 1006


def sign(message: dict, secret: str) -> str:
    pairs = sorted((k, "" if v is None else str(v)) for k, v in message.items() if k != "signature")
    data = "&".join(f"{k}={v}" for k, v in pairs)
    return hmac.new(secret.encode(), data.encode(), hashlib.sha256).hexdigest()


class _Reply(Exception):
    def __init__(self, status: str, body: bytes, headers: list):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers


def _json(body: dict, secret: str | None = None) -> _Reply:
    if secret is not None:
        body = body | {"signature": sign(body, secret)}
    return _Reply("200 OK", json.dumps(body).encode(), [("Content-Type", "application/json")])


@dataclass
class Platform:
    partner_code: str
    access_key: str
    secret: str
    base_url: str = ""
    ipn_attempts: int = 5
    ipn_backoff: float = 1.0
    drop_ipn: bool = False
    #: orderId → {"request": create request, "transactionId", "status", "result", "refunded"}
    orders: dict = field(default_factory=dict)
    notifications: list = field(default_factory=list)
    refunds: list = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._notified = threading.Condition(self._lock)
        self._numbers = itertools.count(88_000_001)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        api = {
            "/api/v1/payments/create": self.create,
            "/api/v1/payments/query": self.query,
            "/api/v1/payments/refund": self.refund,
        }
        try:
            if path in api:
                raise api[path](self._signed_request(environ))
            if path.startswith("/pay/"):
                raise self.page(environ, path.removeprefix("/pay/"))
            raise _Reply("404 Not Found", b"not found", [("Content-Type", "text/plain")])
        except _Reply as reply:
            start_response(reply.status, [("Content-Length", str(len(reply.body))), *reply.headers])
            return [reply.body]

    # --- API -----------------------------------------------------------------------------

    def _signed_request(self, environ) -> dict:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            message = json.loads(environ["wsgi.input"].read(min(length, 100_000)) or b"{}")
        except ValueError:
            message = None
        if environ.get("REQUEST_METHOD") != "POST" or not isinstance(message, dict):
            raise _json({"resultCode": 3, "message": "Sai định dạng yêu cầu"})
        if (message.get("partnerCode"), message.get("accessKey")) != (
            self.partner_code,
            self.access_key,
        ):
            raise _json({"resultCode": 11, "message": "Đối tác không hợp lệ"})
        if not hmac.compare_digest(str(message.get("signature", "")), sign(message, self.secret)):
            raise _json({"resultCode": 97, "message": "Sai chữ ký"})
        return message

    def create(self, request: dict) -> _Reply:
        amount, ref = request.get("amount"), str(request.get("orderId", ""))
        if not isinstance(amount, int) or amount <= 0 or not ref:
            return _json(
                {"resultCode": 3, "message": "Số tiền hoặc mã đơn không hợp lệ"}, self.secret
            )
        try:
            expires = dt.datetime.strptime(str(request.get("expireTime")), STAMP)
        except ValueError:
            return _json({"resultCode": 3, "message": "Thời hạn không hợp lệ"}, self.secret)
        if expires.replace(tzinfo=GMT7) < dt.datetime.now(GMT7):
            return _json({"resultCode": 9, "message": "Đơn đã hết hạn"}, self.secret)
        with self._lock:
            kept = self.orders.get(ref)
            if kept and kept["request"]["amount"] != amount:
                return _json({"resultCode": 7, "message": "Mã đơn đã dùng"}, self.secret)
            if kept is None:
                kept = self.orders[ref] = {
                    "request": request,
                    "transactionId": str(next(self._numbers)),
                    "status": "PENDING",
                    "result": None,
                    "refunded": 0,
                }
        answer = {
            "resultCode": 0,
            "message": "Thành công",
            "orderId": ref,
            "transactionId": kept["transactionId"],
            "payUrl": f"{self.base_url}/pay/{kept['transactionId']}",
        }
        return _json(answer, self.secret)

    def query(self, request: dict) -> _Reply:
        ref = str(request.get("orderId", ""))
        kept = self.orders.get(ref)
        if kept is None:
            return _json({"resultCode": 41, "message": "Không tìm thấy đơn"}, self.secret)
        answer = {
            "resultCode": 0,
            "message": "Thành công",
            "orderId": ref,
            "status": kept["status"],
            "amount": kept["request"]["amount"],
            "transactionId": kept["transactionId"],
            "partnerCode": self.partner_code,
        }
        if kept["result"]:
            answer |= {k: kept["result"][k] for k in ("payChannel", "payTime")}
        return _json(answer, self.secret)

    def refund(self, request: dict) -> _Reply:
        ref = str(request.get("orderId", ""))
        amount = request.get("amount")
        with self._lock:
            kept = self.orders.get(ref)
            if kept is None or kept["status"] != "SUCCESS":
                return _json(
                    {"resultCode": 41, "message": "Không có giao dịch thành công"}, self.secret
                )
            left = kept["request"]["amount"] - kept["refunded"]
            if request.get("transactionId") != kept["transactionId"]:
                return _json({"resultCode": 42, "message": "Sai mã giao dịch"}, self.secret)
            if not isinstance(amount, int) or not 0 < amount <= left:
                return _json({"resultCode": 4, "message": "Số tiền hoàn không hợp lệ"}, self.secret)
            kept["refunded"] += amount
            number = str(next(self._numbers))
            self.refunds.append((ref, amount, number))
        answer = {"resultCode": 0, "message": "Đã tiếp nhận hoàn tiền", "transactionId": number}
        return _json(answer | {"orderId": ref}, self.secret)

    # --- the citizen's page ----------------------------------------------------------------

    def _order_by_transaction(self, transaction_id: str):
        for ref, kept in self.orders.items():
            if kept["transactionId"] == transaction_id:
                return ref, kept
        return None, None

    def page(self, environ, transaction_id: str) -> _Reply:
        with self._lock:
            ref, kept = self._order_by_transaction(transaction_id)
        if kept is None or kept["status"] != "PENDING":
            return _page("404 Not Found", "Không tìm thấy giao dịch đang chờ", "")
        if environ.get("REQUEST_METHOD") == "POST":
            form = form_values(environ)
            channel = form.get("channel") if form.get("channel") in CHANNELS else "NAPAS"
            code = CANCELLED if form.get("action") == "cancel" else 0
            result = self.decide(ref, code, channel)
            return_url = kept["request"]["returnUrl"]
            separator = "&" if "?" in return_url else "?"
            location = f"{return_url}{separator}{urlencode(result)}"
            return _Reply("302 Found", b"", [("Location", location)])
        request = kept["request"]
        amount = f"{request['amount']:,}".replace(",", ".")
        options = "".join(
            f'<option value="{k}">{html.escape(v)}</option>' for k, v in CHANNELS.items()
        )
        body = f"""<dl><dt>Nội dung</dt><dd>{html.escape(str(request["orderInfo"]))}</dd>
<dt>Mã đơn</dt><dd>{html.escape(ref)}</dd>
<dt>Số tiền</dt><dd id="amount">{amount} VND</dd></dl>
<form method="post"><p><label for="channel">Kênh thanh toán</label>
<select id="channel" name="channel">{options}</select></p>
<p><button name="action" value="pay">Thanh toán</button>
<button name="action" value="cancel">Hủy</button></p></form>"""
        return _page("200 OK", "Nền tảng thanh toán thử nghiệm", body)

    def decide(self, ref: str, code: int, channel: str = "NAPAS") -> dict:
        """Settle the order at the platform and notify the merchant (tests call it directly)."""
        with self._lock:
            kept = self.orders[ref]
            kept["status"] = (
                "SUCCESS" if code == 0 else "CANCELLED" if code == CANCELLED else "FAILED"
            )
            result = {
                "partnerCode": self.partner_code,
                "orderId": ref,
                "amount": kept["request"]["amount"],
                "transactionId": kept["transactionId"],
                "resultCode": code,
                "message": "Thành công" if code == 0 else "Không thành công",
                "payChannel": channel,
                "payTime": dt.datetime.now(GMT7).strftime(STAMP),
            }
            result["signature"] = sign(result, self.secret)
            kept["result"] = result
        self.notify(kept["request"].get("notifyUrl", ""), result)
        return result

    # --- the notification ----------------------------------------------------------------

    def notify(self, url: str, result: dict) -> None:
        if self.drop_ipn or not url:
            with self._notified:
                self.notifications.append((result["orderId"], 0, "dropped"))
                self._notified.notify_all()
            return
        if not self._notify_once(url, result, 1):
            threading.Thread(target=self._retry, args=(url, result), daemon=True).start()

    def _retry(self, url: str, result: dict) -> None:
        for attempt in range(2, self.ipn_attempts + 1):
            time.sleep(self.ipn_backoff * 2 ** (attempt - 2))
            if self._notify_once(url, result, attempt):
                return

    def _notify_once(self, url: str, result: dict, attempt: int) -> bool:
        request = urllib.request.Request(  # noqa: S310 - local sandbox
            url,
            data=json.dumps(result).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                code = json.loads(answer.read().decode()).get("resultCode")
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("notify %s attempt %d failed: %s", result["orderId"], attempt, exc)
            code = None
        with self._notified:
            self.notifications.append((result["orderId"], attempt, code))
            self._notified.notify_all()
        return code in (0, 2)

    def wait_for_notifications(self, count: int, timeout: float = 10) -> list:
        with self._notified:
            self._notified.wait_for(lambda: len(self.notifications) >= count, timeout)
            return list(self.notifications)


def _page(status: str, title: str, body: str) -> _Reply:
    document = (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f"</title></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return _Reply(status, document.encode(), [("Content-Type", "text/html; charset=utf-8")])
