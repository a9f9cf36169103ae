"""The local signing agent's HTTP service: the browser on the official's machine hands it a
prepared request, the official confirms in the agent's own page (and types the token's PIN
there), the agent signs with the USB token through PKCS#11 and answers the signature.

Protocol (version 1), on ``127.0.0.1`` only:

* ``OPTIONS /v1/...`` — CORS preflight; answered only for an allowed ``Origin``.
* ``GET /v1/info`` — ``{"agent": "congso-signing-agent", "protocol": 1, "confirm_url": …}``.
* ``POST /v1/sign`` — body ``{"id", "digest_algorithm": "sha256", "certificate_sha256",
  "data_to_sign" (base64), "description"}``; the answer waits for the official (at most
  ``timeout`` seconds): ``200 {"id", "signature"}`` (base64, RSA PKCS#1 v1.5 with SHA-256 over
  ``data_to_sign``), ``403 {"error": "refused"}``, ``408 {"error": "timeout"}``.
* ``GET /xac-nhan/<nonce>`` and ``POST /xac-nhan/<nonce>`` — the confirmation page the official
  opens (the agent prints its address and can open it). It sends no CORS header, so a web page
  cannot read its nonce, and a POST must come from the agent's own origin, so a web page cannot
  confirm in the official's place: the signature stays under the signer's sole control.

Every ``/v1`` call must carry an ``Origin`` listed with ``--allow-origin``; others get 403.
No database, no Django request machinery: the agent runs on the official's machine.
"""

import base64
import hashlib
import html
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

PROTOCOL = 1
MAX_BODY = 256 * 1024


class TokenError(Exception):
    """The token refused (wrong PIN, no key); the message is Vietnamese."""


@dataclass
class Request:
    id: object
    data: bytes
    description: str
    certificate_sha256: str
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    decided: threading.Event = field(default_factory=threading.Event)
    signature: bytes | None = None
    error: str = ""


class Agent:
    """State shared by the handler threads: allowed origins, the signing function, requests."""

    def __init__(self, sign, *, origins, certificate_sha256: str = "", pin: str = "", timeout=120):
        self.sign = sign  # (pin, data) -> signature bytes; raises TokenError
        self.origins = {o.rstrip("/") for o in origins}
        self.certificate_sha256 = certificate_sha256.lower()
        self.pin = pin
        self.timeout = timeout
        self.requests: dict[str, Request] = {}
        self.lock = threading.Lock()
        self.base_url = ""
        self.on_request = None  # called with the confirmation URL (print, open a browser)

    def confirm_url(self, request: Request) -> str:
        return f"{self.base_url}/xac-nhan/{request.nonce}"

    def submit(self, body: dict) -> Request:
        try:
            data = base64.b64decode(body["data_to_sign"], validate=True)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError("bad request") from exc
        if body.get("digest_algorithm", "sha256") != "sha256" or not data:
            raise ValueError("bad request")
        wanted = str(body.get("certificate_sha256", "")).lower()
        if self.certificate_sha256 and wanted and wanted != self.certificate_sha256:
            raise LookupError("certificate")
        request = Request(body.get("id"), data, str(body.get("description", ""))[:300], wanted)
        with self.lock:
            self.requests[request.nonce] = request
        if self.on_request:
            self.on_request(self.confirm_url(request))
        return request

    def decide(self, nonce: str, confirmed: bool, pin: str) -> Request | None:
        request = self.requests.get(nonce)
        if request is None or request.decided.is_set():
            return request
        if not confirmed:
            request.error = "refused"
        else:
            try:
                request.signature = self.sign(self.pin or pin, request.data)
            except TokenError as exc:
                request.error = str(exc)
                return request  # the official may retry with the right PIN
        request.decided.set()
        return request


class Handler(BaseHTTPRequestHandler):
    agent: Agent
    server_version = "congso-signing-agent"

    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        return

    # ------------------------------------------------------------ helpers

    def _origin_ok(self) -> bool:
        return self.headers.get("Origin", "").rstrip("/") in self.agent.origins

    def _send(self, status: int, body: bytes, content_type: str, headers=()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload: dict) -> None:
        cors = []
        if self._origin_ok():
            cors = [("Access-Control-Allow-Origin", self.headers["Origin"]), ("Vary", "Origin")]
        self._send(status, json.dumps(payload).encode(), "application/json", cors)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("too large")
        return self.rfile.read(length)

    # ------------------------------------------------------------ /v1

    def do_OPTIONS(self):  # noqa: N802 - http.server's naming
        if not (self.path.startswith("/v1/") and self._origin_ok()):
            return self._send(403, b"", "text/plain")
        self._send(
            204,
            b"",
            "text/plain",
            [
                ("Access-Control-Allow-Origin", self.headers["Origin"]),
                ("Access-Control-Allow-Methods", "GET, POST"),
                ("Access-Control-Allow-Headers", "Content-Type"),
                ("Access-Control-Allow-Private-Network", "true"),
                ("Access-Control-Max-Age", "600"),
                ("Vary", "Origin"),
            ],
        )

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/xac-nhan/"):
            return self._confirm_page(self.path.removeprefix("/xac-nhan/"))
        if self.path != "/v1/info":
            return self._json(404, {"error": "not_found"})
        if not self._origin_ok():
            return self._json(403, {"error": "origin"})
        self._json(
            200,
            {
                "agent": "congso-signing-agent",
                "protocol": PROTOCOL,
                "certificate_sha256": self.agent.certificate_sha256,
            },
        )

    def do_POST(self):  # noqa: N802
        if self.path.startswith("/xac-nhan/"):
            return self._confirm(self.path.removeprefix("/xac-nhan/"))
        if self.path != "/v1/sign":
            return self._json(404, {"error": "not_found"})
        if not self._origin_ok():
            return self._json(403, {"error": "origin"})
        try:
            request = self.agent.submit(json.loads(self._body()))
        except LookupError:
            return self._json(409, {"error": "certificate"})
        except ValueError:
            return self._json(400, {"error": "bad_request"})
        if not request.decided.wait(self.agent.timeout):
            self.agent.requests.pop(request.nonce, None)
            return self._json(408, {"error": "timeout"})
        self.agent.requests.pop(request.nonce, None)
        if request.signature is None:
            return self._json(403, {"error": request.error or "refused"})
        signature = base64.b64encode(request.signature).decode()
        self._json(200, {"id": request.id, "signature": signature})

    # ------------------------------------------------------------ confirmation

    def _page(self, status: int, content: str) -> None:
        page = (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            "<title>Xác nhận ký số</title></head><body>"
            f"{content}</body></html>"
        )
        self._send(
            status,
            page.encode(),
            "text/html; charset=utf-8",
            [
                ("Content-Security-Policy", "default-src 'none'; form-action 'self'"),
                ("X-Frame-Options", "DENY"),
                ("Referrer-Policy", "same-origin"),  # "no-referrer" makes the Origin "null"
            ],
        )

    def _confirm_page(self, nonce: str, error: str = "") -> None:
        request = self.agent.requests.get(nonce)
        if request is None or request.decided.is_set():
            return self._page(404, "<p>Không có yêu cầu ký nào đang chờ.</p>")
        digest = hashlib.sha256(request.data).hexdigest()
        pin = (
            ""
            if self.agent.pin
            else '<p><label for="pin">Mã PIN của token</label> '
            '<input type="password" id="pin" name="pin" autocomplete="off"></p>'
        )
        self._page(
            200,
            "<h1>Yêu cầu ký số</h1>"
            f"<p>{html.escape(request.description)}</p>"
            f"<p>Mã băm dữ liệu ký (SHA-256): <code>{digest}</code></p>"
            + (f'<p role="alert">{html.escape(error)}</p>' if error else "")
            + f'<form method="post" action="/xac-nhan/{nonce}">{pin}'
            '<button name="action" value="confirm">Ký</button> '
            '<button name="action" value="reject">Từ chối</button></form>',
        )

    def _confirm(self, nonce: str) -> None:
        own = self.agent.base_url.rstrip("/")
        if self.headers.get("Origin", "").rstrip("/") != own:
            return self._page(403, "<p>Chỉ xác nhận được trên trang của phần mềm ký số.</p>")
        try:
            values = parse_qs(self._body().decode())
        except ValueError:
            return self._page(400, "<p>Yêu cầu không hợp lệ.</p>")
        action = (values.get("action") or [""])[0]
        pin = (values.get("pin") or [""])[0]
        request = self.agent.decide(nonce, action == "confirm", pin)
        if request is None:
            return self._page(404, "<p>Không có yêu cầu ký nào đang chờ.</p>")
        if not request.decided.is_set():
            return self._confirm_page(nonce, request.error)
        done = "Đã ký; có thể đóng trang này." if request.signature else "Đã từ chối ký."
        self._page(200, f"<p>{done}</p>")


def serve(agent: Agent, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Bind (``0`` picks a free port) and remember the agent's own address."""
    handler = type("AgentHandler", (Handler,), {"agent": agent})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    bound_host, bound_port = server.server_address[:2]
    agent.base_url = f"http://{bound_host}:{bound_port}"
    return server


def token_signer(module: str, token_label: str, key_label: str):
    """``sign(pin, data)`` with the token's key (CKM_SHA256_RSA_PKCS); the key never leaves."""

    def sign(pin: str, data: bytes) -> bytes:
        import pkcs11
        from pkcs11 import KeyType, Mechanism, ObjectClass

        try:
            token = pkcs11.lib(module).get_token(token_label=token_label)
        except Exception as exc:  # noqa: BLE001 - module missing or no such token
            raise TokenError(f"Không tìm thấy thiết bị ký số “{token_label}”.") from exc
        try:
            with token.open(user_pin=pin) as session:
                key = session.get_key(
                    object_class=ObjectClass.PRIVATE_KEY, key_type=KeyType.RSA, label=key_label
                )
                return key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS)
        except (pkcs11.exceptions.PinIncorrect, pkcs11.exceptions.PinLenRange) as exc:
            raise TokenError("Mã PIN của thiết bị ký số không đúng.") from exc
        except pkcs11.exceptions.PinLocked as exc:
            raise TokenError("Thiết bị ký số đã bị khoá mã PIN.") from exc
        except pkcs11.exceptions.NoSuchKey as exc:
            raise TokenError(f"Không tìm thấy khoá “{key_label}” trên thiết bị.") from exc

    return sign
