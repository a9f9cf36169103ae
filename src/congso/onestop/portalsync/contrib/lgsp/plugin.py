"""The national portal through the provincial integration platform (LGSP), registered as
``lgsp``.

The LGSP issues each connected system OAuth2 client credentials; a bearer token from its token
endpoint (``/oauth2/token``, ``client_credentials``, cached until shortly before it expires)
authorises the portal services it fronts: ``POST /api/dvcqg/hoso/dongbo`` (push a dossier's
record with its revision), ``GET /api/dvcqg/hoso`` (what the portal holds) and
``GET /api/dvcqg/danhmuc-tthc`` (the procedure catalogue). Answers carry ``error_code`` (0:
success). A push is answered ``error_code`` "00" (or 0) when the portal accepted the record; any
other code is the portal refusing it, with its ``message`` — an answer, kept on the outbox row
(``Answer``), not a failure to retry. A province whose LGSP names these paths differently needs a small plugin of its own
(``docs/integrations.md``); the sandbox ``sandbox.dvcqg`` speaks exactly this.
"""

import base64
import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ...base import Answer, CatalogueEntry, Holding, PortalSync, SyncError
from ...registry import registry

#: bearer tokens by (base URL, client id, secret's hash): (token, expiry) — shared by the calls
#: of a process; a changed secret is another key, so a token is never reused for it
_TOKENS: dict[tuple[str, str, str], tuple[str, float]] = {}
#: ``error_code`` values of an accepted push
ACCEPTED = {"0", "00"}


@registry.register("lgsp")
class Lgsp(PortalSync):
    verbose_name = _("Cổng Dịch vụ công quốc gia qua nền tảng LGSP của tỉnh")

    def __init__(self, base_url: str, client_id: str, client_secret: str, timeout: float = 30):
        self.base_url = base_url.rstrip("/")
        self.client_id, self.client_secret, self.timeout = client_id, client_secret, timeout

    @classmethod
    def from_settings(cls) -> "Lgsp":
        return cls(
            settings.CONGSO_PORTAL_SYNC_URL,
            settings.CONGSO_PORTAL_SYNC_CLIENT_ID,
            settings.CONGSO_PORTAL_SYNC_CLIENT_SECRET,
        )

    @property
    def _key(self) -> tuple[str, str, str]:
        digest = hashlib.sha256(self.client_secret.encode()).hexdigest()
        return (self.base_url, self.client_id, digest)

    def _request(self, method: str, path: str, *, body=None, headers=None) -> dict:
        if not self.base_url.startswith(("http://", "https://")) or not self.client_id:
            raise SyncError("lgsp: CONGSO_PORTAL_SYNC_URL or the client credentials are not set")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            f"{self.base_url}{path}", data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(20_000_000)
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                _TOKENS.pop(self._key, None)
            detail = exc.read(500).decode("utf-8", "replace")
            raise SyncError(f"lgsp {method} {path}: HTTP {exc.code} {detail}") from exc
        except (OSError, ValueError) as exc:
            raise SyncError(f"lgsp {method} {path}: {exc}") from exc
        try:
            answer = json.loads(raw)
        except ValueError as exc:
            raise SyncError(f"lgsp {path}: the answer is not JSON") from exc
        if not isinstance(answer, dict):
            raise SyncError(f"lgsp {path}: the answer is not a JSON object")
        return answer

    def _token(self) -> str:
        key = self._key
        held = _TOKENS.get(key)
        if held and held[1] > time.time() + 30:
            return held[0]
        pair = f"{quote(self.client_id, safe='')}:{quote(self.client_secret, safe='')}"
        answer = self._request(
            "POST",
            "/oauth2/token",
            body=urlencode({"grant_type": "client_credentials"}).encode(),
            headers={
                "Authorization": "Basic " + base64.b64encode(pair.encode()).decode(),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise SyncError("lgsp: the token endpoint gave no access_token")
        _TOKENS[key] = (token, time.time() + float(answer.get("expires_in") or 300))
        return token

    def _answer(self, method: str, path: str, payload: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self._token()}"}
        body = None
        if payload is not None:
            body = json.dumps(payload, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        return self._request(method, path, body=body, headers=headers)

    def _call(self, method: str, path: str, payload: dict | None = None) -> dict:
        answer = self._answer(method, path, payload)
        if str(answer.get("error_code")) not in ACCEPTED:
            raise SyncError(f"lgsp {path}: {answer.get('error_code')} {answer.get('message')}")
        return answer

    def push(self, code: str, revision: int, record: dict) -> Answer:
        answer = self._answer(
            "POST",
            "/api/dvcqg/hoso/dongbo",
            {"MaHoSo": code, "PhienBan": revision, "HoSo": record},
        )
        if "error_code" not in answer:
            raise SyncError("lgsp /api/dvcqg/hoso/dongbo: the answer has no error_code")
        result = str(answer["error_code"])
        return Answer(result in ACCEPTED, result[:10], str(answer.get("message") or "")[:500])

    def holdings(self, agency_id: str = "") -> dict[str, Holding]:
        query = f"?{urllib.parse.urlencode({'MaDonVi': agency_id})}" if agency_id else ""
        rows = self._call("GET", f"/api/dvcqg/hoso{query}").get("data") or []
        return {
            str(row["MaHoSo"]): Holding(
                str(row["MaHoSo"]), int(row["PhienBan"]), str(row.get("TrangThaiHoSo") or "")
            )
            for row in rows
            if isinstance(row, dict) and row.get("MaHoSo")
        }

    def catalogue(self) -> list[CatalogueEntry]:
        rows = self._call("GET", "/api/dvcqg/danhmuc-tthc").get("data") or []
        return [
            CatalogueEntry(
                code=str(row["MaTTHC"]),
                name=str(row.get("TenTTHC", "")),
                sector_code=str(row.get("MaLinhVuc", "")),
                sector_name=str(row.get("TenLinhVuc", "")),
                updated=str(row.get("NgayCapNhat", "")),
            )
            for row in rows
            if isinstance(row, dict) and row.get("MaTTHC")
        ]
