"""A local national public-service portal (DVCQG) behind a provincial LGSP, for development and
tests. A plain WSGI application (standard library only):

* ``POST /oauth2/token`` — OAuth2 client credentials (``client_secret_basic``): a bearer token
  valid for an hour, as the LGSP issues to a connected system;
* ``POST /api/dvcqg/hoso/dongbo`` — push one dossier record (``{"MaHoSo", "PhienBan",
  "HoSo"}``, the record in the Circular 04/2025/TT-VPCP data set). Idempotent on
  ``MaHoSo`` + ``PhienBan``: the same revision twice is kept once (``"TrungLap": true``); an
  older revision than the one held is acknowledged and ignored (``"CuHon": true``);
* ``GET /api/dvcqg/hoso?MaDonVi=`` — what the portal holds (code, revision, status), for
  reconciliation; ``GET /api/dvcqg/hoso/<MaHoSo>`` — one record and every revision received;
* ``GET /api/dvcqg/danhmuc-tthc`` — the national procedure catalogue (``MaTTHC``,
  ``TenTTHC``, ``MaLinhVuc``, ``TenLinhVuc``, ``NgayCapNhat``).

Answers carry ``error_code`` (0 success; a push the portal accepts "00") and ``message`` as the
LGSP's services do; a bad token is 401, a malformed record 400. ``fail_next`` answers the next n
pushes 503 (a portal down), so tests can watch the outbox retry. ``reject`` (``MaHoSo`` →
message) makes the portal refuse that dossier's pushes — HTTP 200, ``error_code`` "01" and the
message, as the portal answers a record it will not take — until the rule is removed.
"""

import base64
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field

from sandbox.wsgi import form_values, query_values

REQUIRED = ("MaHoSo", "MaTTHC", "TrangThaiHoSo", "NgayTiepNhan")

CATALOGUE = [
    {
        "MaTTHC": "1.001193",
        "TenTTHC": "Thủ tục đăng ký khai sinh",
        "MaLinhVuc": "HT",
        "TenLinhVuc": "Hộ tịch",
        "NgayCapNhat": "20250701000000",
    },
    {
        "MaTTHC": "2.000908",
        "TenTTHC": "Thủ tục chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "MaLinhVuc": "CT",
        "TenLinhVuc": "Chứng thực",
        "NgayCapNhat": "20250701000000",
    },
    {
        "MaTTHC": "9.999001",
        "TenTTHC": "Thủ tục thử nghiệm mới công bố trên Cổng",
        "MaLinhVuc": "TN",
        "TenLinhVuc": "Thử nghiệm",
        "NgayCapNhat": "20261201000000",
    },
]


class _Reply(Exception):
    def __init__(self, status: str, payload: dict, headers: list | None = None):
        super().__init__(status)
        self.status, self.payload, self.headers = status, payload, headers or []


def _error(status: str, code: int, message: str) -> _Reply:
    return _Reply(status, {"error_code": code, "message": message})


@dataclass
class Portal:
    """The WSGI application: clients by id → secret, and what the portal holds."""

    clients: dict[str, str]
    catalogue: list[dict] = field(default_factory=lambda: [dict(p) for p in CATALOGUE])
    token_seconds: int = 3600
    fail_next: int = 0
    #: MaHoSo → the message a refusal of its pushes carries
    reject: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self._tokens: dict[str, tuple[str, float]] = {}
        #: MaHoSo → {"PhienBan", "HoSo", "client"}; and every revision received, in order
        self.held: dict[str, dict] = {}
        self.revisions: dict[str, list[int]] = {}
        self.pushes = 0
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        try:
            if path == "/oauth2/token":
                raise self.token(environ)
            client = self._bearer(environ)
            if path == "/api/dvcqg/hoso/dongbo":
                raise self.push(environ, client)
            if path == "/api/dvcqg/hoso":
                raise self.listing(environ, client)
            if path.startswith("/api/dvcqg/hoso/"):
                raise self.one(path.removeprefix("/api/dvcqg/hoso/"), client)
            if path == "/api/dvcqg/danhmuc-tthc":
                raise _Reply("200 OK", {"error_code": 0, "data": self.catalogue})
            raise _error("404 Not Found", 404, "Không tìm thấy")
        except _Reply as reply:
            body = json.dumps(reply.payload, ensure_ascii=False).encode()
            headers = [("Content-Type", "application/json; charset=utf-8"), *reply.headers]
            start_response(reply.status, [("Content-Length", str(len(body))), *headers])
            return [body]

    def token(self, environ) -> _Reply:
        if environ.get("REQUEST_METHOD") != "POST":
            return _error("405 Method Not Allowed", 405, "Dùng POST")
        form = form_values(environ)
        scheme, _, encoded = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        try:
            pair = base64.b64decode(encoded, validate=True).decode() if scheme == "Basic" else ""
        except ValueError:
            pair = ""
        client_id, _, secret = pair.partition(":")
        expected = self.clients.get(client_id)
        if expected is None or not hmac.compare_digest(secret.encode(), expected.encode()):
            return _Reply(
                "401 Unauthorized",
                {"error": "invalid_client"},
                [("WWW-Authenticate", 'Basic realm="lgsp"')],
            )
        if form.get("grant_type") != "client_credentials":
            return _Reply("400 Bad Request", {"error": "unsupported_grant_type"})
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = (client_id, time.time() + self.token_seconds)
        return _Reply(
            "200 OK",
            {"access_token": token, "token_type": "Bearer", "expires_in": self.token_seconds},
        )

    def _bearer(self, environ) -> str:
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        with self._lock:
            held = self._tokens.get(token) if scheme == "Bearer" else None
        if held is None or held[1] < time.time():
            raise _error("401 Unauthorized", 401, "Token không hợp lệ hoặc đã hết hạn")
        return held[0]

    def push(self, environ, client: str) -> _Reply:
        if environ.get("REQUEST_METHOD") != "POST":
            return _error("405 Method Not Allowed", 405, "Dùng POST")
        if self.fail_next > 0:
            self.fail_next -= 1
            return _error("503 Service Unavailable", 503, "Cổng đang bảo trì")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(min(length, 5_000_000)))
            code, revision, record = body["MaHoSo"], int(body["PhienBan"]), body["HoSo"]
        except (ValueError, KeyError, TypeError):
            return _error("400 Bad Request", 400, "Dữ liệu không đúng định dạng")
        missing = [
            name for name in REQUIRED if not isinstance(record, dict) or not record.get(name)
        ]
        if missing or record.get("MaHoSo") != code or revision < 1:
            return _error("400 Bad Request", 400, f"Thiếu hoặc sai trường: {', '.join(missing)}")
        with self._lock:
            self.pushes += 1
            if code in self.reject:
                return _Reply("200 OK", {"error_code": "01", "message": self.reject[code]})
            seen = self.revisions.setdefault(code, [])
            answer = {
                "error_code": "00",
                "message": "Thành công",
                "MaHoSo": code,
                "PhienBan": revision,
            }
            if revision in seen:
                return _Reply("200 OK", answer | {"TrungLap": True})
            seen.append(revision)
            if code in self.held and self.held[code]["PhienBan"] > revision:
                return _Reply("200 OK", answer | {"CuHon": True})
            self.held[code] = {"PhienBan": revision, "HoSo": record, "client": client}
        return _Reply("200 OK", answer)

    def listing(self, environ, client: str) -> _Reply:
        unit = query_values(environ).get("MaDonVi", "")
        with self._lock:
            rows = [
                {
                    "MaHoSo": code,
                    "PhienBan": held["PhienBan"],
                    "TrangThaiHoSo": held["HoSo"].get("TrangThaiHoSo"),
                }
                for code, held in sorted(self.held.items())
                if held["client"] == client
                and (not unit or held["HoSo"].get("MaDonViTiepNhan") == unit)
            ]
        return _Reply("200 OK", {"error_code": 0, "data": rows})

    def one(self, code: str, client: str) -> _Reply:
        with self._lock:
            held = self.held.get(code)
            if held is None or held["client"] != client:
                return _error("404 Not Found", 404, "Không có hồ sơ")
            revisions = list(self.revisions.get(code, []))
        return _Reply(
            "200 OK",
            {
                "error_code": 0,
                "PhienBan": held["PhienBan"],
                "HoSo": held["HoSo"],
                "CacPhienBan": revisions,
            },
        )
