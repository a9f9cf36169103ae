"""A local remote-signing service shaped like the CAs' (VNPT SmartCA, Viettel MySign): JSON over
HTTP, the relying party authenticated by ``sp_id``/``sp_password``, the official by ``user_id``.

A plain WSGI application (standard library and ``cryptography`` only; no Django), written from
the public shape of those APIs independently of ``congso.signing.signers.contrib.remote`` so that
each checks the other:

* ``POST /v1/credentials/get_certificate`` ``{sp_id, sp_password, user_id}`` — the official's
  certificates (``serial_number``, ``cert_data`` base64 DER, ``chain_data`` base64 DERs);
* ``POST /v1/signatures/sign`` ``{…, serial_number, transaction_desc, sign_files: [{doc_id,
  data_to_be_signed: hex SHA-256, sign_type: "hash"}]}`` — opens a transaction that waits for
  the official; answers ``{transaction_id}``;
* ``POST /v1/signatures/sign/<transaction_id>/status`` — ``pending``, ``confirmed`` (with
  ``signatures: [{doc_id, signature_value}]``, RSA PKCS#1 v1.5 over the hash), ``rejected`` or
  ``expired``;
* ``GET /app/<user_id>`` and ``POST /app/confirm`` — what the CA's phone app does: the official
  sees the waiting transactions and confirms or rejects each one.

Nothing is signed before the official confirms: the key never leaves the service.
"""

import base64
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, utils
from cryptography.hazmat.primitives.serialization import pkcs12

from sandbox.wsgi import form_values

TRANSACTION_SECONDS = 300


@dataclass
class Account:
    user_id: str
    key: object
    certificate: object
    chain: list = field(default_factory=list)

    @property
    def serial(self) -> str:
        return format(self.certificate.serial_number, "x")


@dataclass
class Transaction:
    id: str
    account: Account
    description: str
    files: list
    created: float = field(default_factory=time.monotonic)
    status: str = "pending"
    signatures: list = field(default_factory=list)


def account_from_pkcs12(user_id: str, data: bytes, password: str) -> Account:
    key, certificate, others = pkcs12.load_key_and_certificates(data, password.encode())
    return Account(user_id, key, certificate, list(others or []))


def _der(certificate) -> str:
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


class RemoteSigning:
    """The WSGI app; ``accounts`` maps the official's ``user_id`` to the key the CA keeps."""

    def __init__(self, *, sp_id: str, sp_password: str, accounts: dict[str, Account] = None):
        self.sp_id, self.sp_password = sp_id, sp_password
        self.accounts = dict(accounts or {})
        self.transactions: dict[str, Transaction] = {}
        self.lock = threading.Lock()

    def add_account(self, account: Account) -> None:
        self.accounts[account.user_id] = account

    # ---------------------------------------------------------------- WSGI

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if path.startswith("/app/") and method == "GET":
            return self._html(start_response, self.app_page(path.removeprefix("/app/")))
        if path == "/app/confirm" and method == "POST":
            values = form_values(environ)
            self.decide(values.get("transaction_id", ""), values.get("action") == "confirm")
            user = values.get("user_id", "")
            start_response("303 See Other", [("Location", f"/app/{user}")])
            return [b""]
        if method != "POST" or not path.startswith("/v1/"):
            return self._json(start_response, 404, {"status_code": 404, "message": "NOT_FOUND"})
        try:
            body = json.loads(self._read(environ) or b"{}")
        except ValueError:
            return self._json(start_response, 400, {"status_code": 400, "message": "BAD_JSON"})
        if body.get("sp_id") != self.sp_id or body.get("sp_password") != self.sp_password:
            return self._json(start_response, 401, {"status_code": 401, "message": "UNAUTHORIZED"})
        status, answer = self.route(path, body)
        return self._json(start_response, status, answer)

    def route(self, path: str, body: dict) -> tuple[int, dict]:
        account = self.accounts.get(str(body.get("user_id", "")))
        if path == "/v1/credentials/get_certificate":
            if account is None:
                return 404, {"status_code": 404, "message": "USER_NOT_FOUND"}
            return 200, _ok({"user_certificates": [self._describe(account)]})
        if path == "/v1/signatures/sign":
            return self.open_transaction(account, body)
        if path.startswith("/v1/signatures/sign/") and path.endswith("/status"):
            transaction_id = path.removeprefix("/v1/signatures/sign/").removesuffix("/status")
            return self.status(transaction_id)
        return 404, {"status_code": 404, "message": "NOT_FOUND"}

    # ---------------------------------------------------------------- the protocol

    def _describe(self, account: Account) -> dict:
        return {
            "serial_number": account.serial,
            "cert_status": "Đang hoạt động",
            "cert_data": _der(account.certificate),
            "chain_data": [_der(c) for c in account.chain],
        }

    def open_transaction(self, account, body) -> tuple[int, dict]:
        if account is None:
            return 404, {"status_code": 404, "message": "USER_NOT_FOUND"}
        if body.get("serial_number") and body["serial_number"] != account.serial:
            return 400, {"status_code": 400, "message": "CERTIFICATE_NOT_FOUND"}
        files = body.get("sign_files") or []
        try:
            parsed = [
                {"doc_id": str(f["doc_id"]), "hash": bytes.fromhex(f["data_to_be_signed"])}
                for f in files
                if f.get("sign_type", "hash") == "hash"
            ]
        except (KeyError, TypeError, ValueError):
            parsed = []
        if not parsed or any(len(f["hash"]) != 32 for f in parsed):
            return 400, {"status_code": 400, "message": "BAD_HASH"}
        transaction = Transaction(
            secrets.token_hex(12), account, str(body.get("transaction_desc", ""))[:200], parsed
        )
        with self.lock:
            self.transactions[transaction.id] = transaction
        return 200, _ok({"transaction_id": transaction.id, "tran_code": transaction.id[:8]})

    def status(self, transaction_id: str) -> tuple[int, dict]:
        transaction = self.transactions.get(transaction_id)
        if transaction is None:
            return 404, {"status_code": 404, "message": "TRANSACTION_NOT_FOUND"}
        self._expire(transaction)
        data = {"transaction_id": transaction.id, "status": transaction.status, "signatures": None}
        if transaction.status == "confirmed":
            data["signatures"] = transaction.signatures
        return 200, _ok(data)

    def _expire(self, transaction: Transaction) -> None:
        expired = time.monotonic() - transaction.created > TRANSACTION_SECONDS
        if transaction.status == "pending" and expired:
            transaction.status = "expired"

    def decide(self, transaction_id: str, confirmed: bool) -> None:
        """The official's answer on the phone: sign every hash of the transaction, or refuse."""
        with self.lock:
            transaction = self.transactions.get(transaction_id)
            if transaction is None:
                return
            self._expire(transaction)
            if transaction.status != "pending":
                return
            if not confirmed:
                transaction.status = "rejected"
                return
            transaction.signatures = [
                {"doc_id": f["doc_id"], "signature_value": self._sign(transaction.account, f)}
                for f in transaction.files
            ]
            transaction.status = "confirmed"

    @staticmethod
    def _sign(account: Account, file: dict) -> str:
        value = account.key.sign(file["hash"], padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
        return base64.b64encode(value).decode()

    def waiting(self, user_id: str) -> list[Transaction]:
        for transaction in list(self.transactions.values()):
            self._expire(transaction)
        return [
            t
            for t in self.transactions.values()
            if t.account.user_id == user_id and t.status == "pending"
        ]

    # ---------------------------------------------------------------- the "phone app"

    def app_page(self, user_id: str) -> str:
        rows = "".join(
            f"<li><p>{html.escape(t.description)} — mã {t.id[:8]}</p>"
            f'<form method="post" action="/app/confirm">'
            f'<input type="hidden" name="transaction_id" value="{t.id}">'
            f'<input type="hidden" name="user_id" value="{html.escape(user_id)}">'
            f'<button name="action" value="confirm">Xác nhận ký</button> '
            f'<button name="action" value="reject">Từ chối</button></form></li>'
            for t in self.waiting(user_id)
        )
        return (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            "<title>Ứng dụng ký số từ xa (thử nghiệm)</title></head><body>"
            f"<h1>Giao dịch chờ xác nhận của {html.escape(user_id)}</h1>"
            f"<ul>{rows or '<li>Không có giao dịch nào.</li>'}</ul></body></html>"
        )

    # ---------------------------------------------------------------- helpers

    @staticmethod
    def _read(environ) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        return environ["wsgi.input"].read(min(length, 1_000_000))

    @staticmethod
    def _json(start_response, status: int, body: dict):
        reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}[status]
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(f"{status} {reason}", [("Content-Type", "application/json")])
        return [data]

    @staticmethod
    def _html(start_response, page: str):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]


def _ok(data: dict) -> dict:
    return {"status_code": 200, "message": "SUCCESS", "data": data}
