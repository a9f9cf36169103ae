"""A local payment gateway speaking the VNPay 2.1.0 protocol, for development and tests.

A plain WSGI application (standard library only; no Django), written from VNPay's integration
guide independently of ``congso.payments.providers.contrib.vnpay`` so each checks the other:

* ``GET /paymentv2/vpcpay.html?vnp_...&vnp_SecureHash=...`` — checks the merchant code, the
  HMAC-SHA512 checksum (sorted parameters, ``quote_plus``-encoded values), version, command,
  currency, amount (VND × 100) and expiry, then shows the payment page: bank, card number,
  holder, OTP; buttons *Thanh toán* and *Hủy giao dịch*;
* ``POST /paymentv2/pay`` — decides the outcome (test cards below), notifies the merchant's IPN
  URL server-to-server with signed parameters (first attempt at once, then retries in the
  background until the answer's ``RspCode`` is ``00`` or ``02``), then redirects the browser to
  ``vnp_ReturnUrl`` with the same signed parameters.

* ``POST /merchant_webapi/api/transaction`` — the merchant API: ``querydr`` (what became of an
  order) and ``refund`` (whole or part, never more than is left), JSON in and out, both
  checksummed with HMAC-SHA512 over ``|``-joined fields in the order VNPay's guide lists.

Tests may set ``drop_ipn`` to lose every notification (as when the merchant's server was down
for all of VNPay's retries): only ``querydr`` can then settle the order.

Test cards (NCB): ``9704198526191432198`` pays (OTP ``123456``; another OTP → code ``13``);
``9704195798459170488`` is refused for insufficient funds (code ``51``).
"""

import csv
import datetime as dt
import hashlib
import hmac
import html
import io
import itertools
import json
import logging
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote_plus
from zoneinfo import ZoneInfo

from sandbox.wsgi import form_values, query_values

log = logging.getLogger(__name__)

GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
STAMP = "%Y%m%d%H%M%S"
GOOD_CARD = "9704198526191432198"
POOR_CARD = "9704195798459170488"
OTP = "123456"
BANKS = {"NCB": "Ngân hàng NCB", "VCB": "Vietcombank", "BIDV": "BIDV", "AGRIBANK": "Agribank"}
REQUIRED = (
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_Amount",
    "vnp_CurrCode",
    "vnp_TxnRef",
    "vnp_OrderInfo",
    "vnp_OrderType",
    "vnp_Locale",
    "vnp_ReturnUrl",
    "vnp_IpAddr",
    "vnp_CreateDate",
)


def hash_data(params: dict) -> str:
    return "&".join(f"{k}={quote_plus(str(v))}" for k, v in sorted(params.items()) if str(v) != "")


def checksum(params: dict, secret: str) -> str:
    return hmac.new(secret.encode(), hash_data(params).encode(), hashlib.sha512).hexdigest()


def signed_query(params: dict, secret: str) -> str:
    return f"{hash_data(params)}&vnp_SecureHash={checksum(params, secret)}"


class _Reply(Exception):
    def __init__(self, status: str, body: bytes = b"", headers: list | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or []


# --- the merchant API (querydr, refund) -------------------------------------------------------

QUERY_SIGNED = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
REFUND_SIGNED = (
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
)
ANSWER_SIGNED = (
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
)
QUERY_ANSWER_SIGNED = (*ANSWER_SIGNED, "vnp_PromotionCode", "vnp_PromotionAmount")


def pipe_checksum(values: dict, names, secret: str) -> str:
    joined = "|".join(str(values.get(name) or "") for name in names)
    return hmac.new(secret.encode(), joined.encode(), hashlib.sha512).hexdigest()


def _api_reply(body: dict) -> _Reply:
    data = json.dumps(body).encode()
    return _Reply("200 OK", data, [("Content-Type", "application/json")])


class MerchantApi:
    """querydr and refund, the merchant API of the gateway (mixed into ``Gateway``)."""

    def api(self, environ) -> _Reply:
        """``POST /merchant_webapi/api/transaction``: querydr or refund."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            request = json.loads(environ["wsgi.input"].read(min(length, 100_000)) or b"{}")
        except ValueError:
            request = None
        if environ.get("REQUEST_METHOD") != "POST" or not isinstance(request, dict):
            return _api_reply({"vnp_ResponseCode": "03", "vnp_Message": "Invalid request format"})
        command = request.get("vnp_Command")
        signed = {"querydr": QUERY_SIGNED, "refund": REFUND_SIGNED}.get(command)
        if signed is None:
            return _api_reply({"vnp_ResponseCode": "03", "vnp_Message": "Unknown command"})
        if request.get("vnp_TmnCode") != self.tmn_code:
            return _api_reply({"vnp_ResponseCode": "02", "vnp_Message": "Merchant is not valid"})
        expected = pipe_checksum(request, signed, self.secret)
        if not hmac.compare_digest(str(request.get("vnp_SecureHash", "")).lower(), expected):
            return _api_reply({"vnp_ResponseCode": "97", "vnp_Message": "Invalid Checksum"})
        with self._lock:
            seen = self._request_ids
            if request.get("vnp_RequestId") in seen:
                return _api_reply({"vnp_ResponseCode": "94", "vnp_Message": "Duplicate request"})
            seen.add(request.get("vnp_RequestId"))
            kept = self.transactions.get(request.get("vnp_TxnRef", ""))
            answer = (
                self._query(request, kept) if command == "querydr" else self._refund(request, kept)
            )
        names = QUERY_ANSWER_SIGNED if command == "querydr" else ANSWER_SIGNED
        answer |= {
            "vnp_ResponseId": secrets.token_hex(16),
            "vnp_Command": command,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": request.get("vnp_TxnRef", ""),
        }
        answer["vnp_SecureHash"] = pipe_checksum(answer, names, self.secret)
        return _api_reply(answer)

    def _query(self, request: dict, kept: dict | None) -> dict:
        if kept is None:
            return {"vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"}
        order, result = kept["order"], kept["result"]
        if result is None:  # the citizen is on the payment page
            return {
                "vnp_ResponseCode": "00",
                "vnp_Message": "QueryDR Success",
                "vnp_Amount": order["vnp_Amount"],
                "vnp_OrderInfo": order["vnp_OrderInfo"],
                "vnp_TransactionType": "01",
                "vnp_TransactionStatus": "01",
            }
        status = result["vnp_TransactionStatus"]
        if status == "00" and kept.get("refunded"):
            status = "05"
        return {
            "vnp_ResponseCode": "00",
            "vnp_Message": "QueryDR Success",
            "vnp_Amount": result["vnp_Amount"],
            "vnp_BankCode": result["vnp_BankCode"],
            "vnp_PayDate": result["vnp_PayDate"],
            "vnp_TransactionNo": result["vnp_TransactionNo"],
            "vnp_TransactionType": "01",
            "vnp_TransactionStatus": status,
            "vnp_OrderInfo": result["vnp_OrderInfo"],
        }

    def _refund(self, request: dict, kept: dict | None) -> dict:
        if kept is None or kept["result"] is None:
            return {"vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"}
        result = kept["result"]
        if result["vnp_TransactionStatus"] != "00":
            return {"vnp_ResponseCode": "95", "vnp_Message": "Transaction was not successful"}
        amount = str(request.get("vnp_Amount", ""))
        left = int(result["vnp_Amount"]) - kept.get("refunded", 0)
        kind = request.get("vnp_TransactionType")
        if (
            not amount.isdigit()
            or not 0 < int(amount) <= left
            or kind not in ("02", "03")
            or (kind == "02" and int(amount) != int(result["vnp_Amount"]))
        ):
            return {"vnp_ResponseCode": "03", "vnp_Message": "Invalid amount"}
        if request.get("vnp_TransactionNo") not in ("", result["vnp_TransactionNo"]):
            return {"vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"}
        kept["refunded"] = kept.get("refunded", 0) + int(amount)
        number = str(next(self._numbers))
        self.refunds.append((request["vnp_TxnRef"], int(amount) // 100, number))
        return {
            "vnp_ResponseCode": "00",
            "vnp_Message": "Refund success",
            "vnp_Amount": amount,
            "vnp_BankCode": result["vnp_BankCode"],
            "vnp_PayDate": dt.datetime.now(GMT7).strftime(STAMP),
            "vnp_TransactionNo": number,
            "vnp_TransactionType": kind,
            "vnp_TransactionStatus": "05",
            "vnp_OrderInfo": request.get("vnp_OrderInfo", ""),
        }


SETTLEMENT_COLUMNS = (
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionNo",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
)


class SettlementFile:
    """The day's settlement file (file đối soát ngày T; mixed into ``Gateway``). VNPay sends it
    by e-mail or SFTP in a layout agreed in the merchant contract; the sandbox serves it over
    HTTPS GET, signed like the merchant API (HMAC-SHA512 of ``tmn|yyyyMMdd``): a CSV with the
    fields of a querydr answer, one row per successful payment of that day (GMT+7)."""

    def settlement(self, environ) -> _Reply:
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        day = query.get("vnp_Date", "")
        signed = {"vnp_TmnCode": query.get("vnp_TmnCode", ""), "vnp_Date": day}
        expected = pipe_checksum(signed, ("vnp_TmnCode", "vnp_Date"), self.secret)
        if signed["vnp_TmnCode"] != self.tmn_code or not hmac.compare_digest(
            query.get("vnp_SecureHash", "").lower(), expected
        ):
            return _Reply("403 Forbidden", b"Invalid Checksum")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(SETTLEMENT_COLUMNS)
        with self._lock:
            for ref, kept in sorted(self.transactions.items()):
                result = kept["result"]
                paid = result and result["vnp_TransactionStatus"] == "00"
                if paid and result["vnp_PayDate"].startswith(day):
                    row = result | {"vnp_TmnCode": self.tmn_code, "vnp_TxnRef": ref}
                    row["vnp_TransactionType"] = "01"
                    writer.writerow([row.get(c, "") for c in SETTLEMENT_COLUMNS])
        return _Reply(
            "200 OK", out.getvalue().encode(), [("Content-Type", "text/csv; charset=utf-8")]
        )


@dataclass
class Gateway(MerchantApi, SettlementFile):
    """The WSGI application. ``ipn_url`` is the merchant's notification address (registered
    with the gateway, never taken from the request)."""

    tmn_code: str
    secret: str
    ipn_url: str
    ipn_attempts: int = 5
    ipn_backoff: float = 1.0
    orders: dict = field(default_factory=dict)
    notifications: list = field(default_factory=list)
    drop_ipn: bool = False
    #: vnp_TxnRef → {"order": request, "result": outcome or None, "refunded": VND × 100}
    transactions: dict = field(default_factory=dict)
    refunds: list = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._notified = threading.Condition(self._lock)
        self._numbers = itertools.count(14_000_001)
        self._seen_refs: set[str] = set()
        self._request_ids: set[str] = set()

    def __call__(self, environ, start_response):
        routes = {
            "/paymentv2/vpcpay.html": self.payment_page,
            "/paymentv2/pay": self.pay,
            "/merchant_webapi/api/transaction": self.api,
            "/merchant_webapi/settlement": self.settlement,
        }
        handler = routes.get(environ.get("PATH_INFO", ""))
        try:
            if handler is None:
                raise _page("404 Not Found", "Không tìm thấy", "<p>Địa chỉ không tồn tại.</p>")
            raise handler(environ)
        except _Reply as reply:
            start_response(reply.status, [("Content-Length", str(len(reply.body))), *reply.headers])
            return [reply.body]

    # --- the payment request -------------------------------------------------------------

    def check_request(self, params: dict) -> str | None:
        """Why the merchant's request is refused (Vietnamese), or ``None``."""
        missing = [k for k in REQUIRED if not params.get(k)]
        if missing:
            return "Thiếu tham số: " + ", ".join(missing)
        if params["vnp_TmnCode"] != self.tmn_code:
            return "Mã website (vnp_TmnCode) không tồn tại"
        received = params.get("vnp_SecureHash", "").lower()
        signed = {
            k: v
            for k, v in params.items()
            if k.startswith("vnp_") and k not in ("vnp_SecureHash", "vnp_SecureHashType")
        }
        if not received or not hmac.compare_digest(received, checksum(signed, self.secret)):
            return "Sai chữ ký (vnp_SecureHash)"
        if params["vnp_Version"] != "2.1.0" or params["vnp_Command"] != "pay":
            return "Phiên bản hoặc lệnh không được hỗ trợ"
        if params["vnp_CurrCode"] != "VND":
            return "Chỉ hỗ trợ đơn vị tiền tệ VND"
        amount = params["vnp_Amount"]
        if not amount.isdigit() or int(amount) <= 0 or int(amount) % 100:
            return "Số tiền không hợp lệ"
        expires = _parse(params.get("vnp_ExpireDate", ""))
        if _parse(params["vnp_CreateDate"]) is None or expires is None:
            return "Thời gian tạo hoặc hết hạn không hợp lệ"
        if expires < dt.datetime.now(GMT7):
            return "Giao dịch đã quá thời gian chờ thanh toán"
        if params["vnp_TxnRef"] in self._seen_refs:
            return "Mã giao dịch (vnp_TxnRef) đã được sử dụng"
        return None

    def payment_page(self, environ) -> _Reply:
        params = query_values(environ)
        problem = self.check_request(params)
        if problem:
            raise _page(
                "400 Bad Request",
                "Giao dịch không hợp lệ",
                f'<p class="error" role="alert">{html.escape(problem)}</p>',
            )
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._seen_refs.add(params["vnp_TxnRef"])
            self.transactions[params["vnp_TxnRef"]] = {"order": params, "result": None}
            self.orders[token] = params
        return self._form(token, params)

    def _form(self, token: str, order: dict, error: str = "", status: str = "200 OK") -> _Reply:
        amount = f"{int(order['vnp_Amount']) // 100:,}".replace(",", ".")
        banks = "".join(
            f'<option value="{code}">{html.escape(name)}</option>' for code, name in BANKS.items()
        )
        alert = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
        body = f"""{alert}
<dl><dt>Đơn vị</dt><dd>{html.escape(order["vnp_TmnCode"])}</dd>
<dt>Nội dung</dt><dd>{html.escape(order["vnp_OrderInfo"])}</dd>
<dt>Mã giao dịch</dt><dd>{html.escape(order["vnp_TxnRef"])}</dd>
<dt>Số tiền</dt><dd><strong id="amount">{amount} VND</strong></dd></dl>
<form method="post" action="/paymentv2/pay">
<input type="hidden" name="token" value="{html.escape(token)}">
<p><label for="bank">Ngân hàng</label><select id="bank" name="bank">{banks}</select></p>
<p><label for="card">Số thẻ</label>
<input id="card" name="card_number" inputmode="numeric" autocomplete="off"></p>
<p><label for="holder">Tên chủ thẻ</label><input id="holder" name="card_holder"></p>
<p><label for="otp">Mã OTP</label>
<input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code"></p>
<p class="hint">Thẻ thử nghiệm: {GOOD_CARD} (OTP {OTP}); thẻ không đủ số dư: {POOR_CARD}.</p>
<p><button type="submit" name="action" value="pay">Thanh toán</button>
<button type="submit" name="action" value="cancel" class="cancel">Hủy giao dịch</button></p>
</form>"""
        return _page(status, "Cổng thanh toán thử nghiệm — Thanh toán", body)

    # --- the outcome ---------------------------------------------------------------------

    def pay(self, environ) -> _Reply:
        if environ.get("REQUEST_METHOD") != "POST":
            raise _page("405 Method Not Allowed", "Không hỗ trợ", "<p>Dùng POST.</p>")
        form = form_values(environ)
        with self._lock:
            order = self.orders.get(form.get("token", ""))
        if order is None:
            raise _page("400 Bad Request", "Phiên thanh toán không tồn tại", "<p>Hết phiên.</p>")
        bank = form.get("bank", "NCB") if form.get("bank") in BANKS else "NCB"
        if form.get("action") == "cancel":
            code = "24"
        else:
            card = form.get("card_number", "").replace(" ", "")
            if card not in (GOOD_CARD, POOR_CARD):
                return self._form(form["token"], order, "Số thẻ không hợp lệ", "400 Bad Request")
            if _parse(order["vnp_ExpireDate"]) < dt.datetime.now(GMT7):
                code = "11"
            elif card == POOR_CARD:
                code = "51"
            else:
                code = "00" if form.get("otp", "") == OTP else "13"
        with self._lock:
            self.orders.pop(form["token"], None)
        result = self.result(order, code, bank)
        self.record(order, result)
        self.notify(result)
        separator = "&" if "?" in order["vnp_ReturnUrl"] else "?"
        location = f"{order['vnp_ReturnUrl']}{separator}{signed_query(result, self.secret)}"
        return _Reply("302 Found", b"", [("Location", location)])

    def result(self, order: dict, code: str, bank: str) -> dict:
        """The signed statement sent to the return URL and to the IPN."""
        return {
            "vnp_Amount": order["vnp_Amount"],
            "vnp_BankCode": bank,
            "vnp_BankTranNo": f"{bank}{secrets.randbelow(10**8):08d}" if code == "00" else "",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": order["vnp_OrderInfo"],
            "vnp_PayDate": dt.datetime.now(GMT7).strftime(STAMP),
            "vnp_ResponseCode": code,
            "vnp_TmnCode": order["vnp_TmnCode"],
            "vnp_TransactionNo": str(next(self._numbers)) if code != "24" else "0",
            "vnp_TransactionStatus": "00" if code == "00" else "02",
            "vnp_TxnRef": order["vnp_TxnRef"],
        }

    def record(self, order: dict, result: dict) -> None:
        """Keep the outcome for ``querydr`` and ``refund`` (tests also record outcomes they
        hand to the IPN themselves)."""
        with self._lock:
            self.transactions[result["vnp_TxnRef"]] = {
                "order": order,
                "result": result,
                "refunded": 0,
            }

    def notify(self, result: dict) -> None:
        """Call the IPN once now; on no acceptable answer, keep trying in the background."""
        if self.drop_ipn:
            with self._notified:
                self.notifications.append((result["vnp_TxnRef"], 0, "dropped"))
                self._notified.notify_all()
            return
        if not self._notify_once(result, 1):
            threading.Thread(
                target=self._retry, args=(result,), name="sandbox-payment-ipn", daemon=True
            ).start()

    def _retry(self, result: dict) -> None:
        for attempt in range(2, self.ipn_attempts + 1):
            time.sleep(self.ipn_backoff * 2 ** (attempt - 2))
            if self._notify_once(result, attempt):
                return

    def _notify_once(self, result: dict, attempt: int) -> bool:
        separator = "&" if "?" in self.ipn_url else "?"
        url = f"{self.ipn_url}{separator}{signed_query(result, self.secret)}"
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - local sandbox
                code = str(json.loads(answer.read().decode()).get("RspCode", ""))
        except (OSError, ValueError) as exc:
            log.warning("IPN %s attempt %d failed: %s", result["vnp_TxnRef"], attempt, exc)
            code = ""
        with self._notified:
            self.notifications.append((result["vnp_TxnRef"], attempt, code))
            self._notified.notify_all()
        return code in ("00", "02")

    def wait_for_notifications(self, count: int, timeout: float = 10) -> list:
        """Block until ``count`` IPN calls were made (tests), then return them all."""
        with self._notified:
            self._notified.wait_for(lambda: len(self.notifications) >= count, timeout)
            return list(self.notifications)


def _parse(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, STAMP).replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


def _page(status: str, title: str, body: str) -> _Reply:
    document = f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: Arial, sans-serif; max-width: 36rem; margin: 0 auto; padding: 0 1rem 2rem;
  color: #1b1b1b; }}
header {{ background: #005baa; color: #fff; padding: .75rem 1rem; margin: 0 -1rem; }}
label {{ display: block; font-weight: 700; margin-bottom: .25rem; }}
input, select {{ font: inherit; width: 100%; box-sizing: border-box; padding: .5rem; }}
dl {{ display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; }}
dd {{ margin: 0; }}
button {{ font: inherit; padding: .6rem 1.2rem; background: #005baa; color: #fff; border: 0;
  cursor: pointer; }}
button.cancel {{ background: #b00020; }}
button:focus, input:focus, select:focus {{ outline: 3px solid #ffbf47; }}
.error {{ color: #b00020; font-weight: 700; }}
.hint {{ color: #555; font-size: .9rem; }}
</style></head>
<body><header><strong>Cổng thanh toán thử nghiệm</strong> — giao thức VNPAY 2.1.0</header>
<main><h1>{html.escape(title)}</h1>{body}</main></body></html>"""
    return _Reply(status, document.encode(), [("Content-Type", "text/html; charset=utf-8")])
