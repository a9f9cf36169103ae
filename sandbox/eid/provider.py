"""A local national-eID provider speaking OpenID Connect, for development and tests.

A plain WSGI application (standard library, ``cryptography`` and PyJWT; no Django):

* ``GET /.well-known/openid-configuration`` — discovery;
* ``GET /jwks`` — the RSA public key (generated at start-up) that signs ID tokens (RS256);
* ``GET /authorize`` — authorization code flow with PKCE (S256 only): a page listing the test
  citizens to pick from, or an immediate answer when ``citizen=<ID number or subject>`` (approve)
  or ``deny=1`` (refuse) is in the query, so tests need no browser;
* ``POST /token`` — checks the client (``client_secret_basic`` or ``client_secret_post``), the
  single-use code, the redirect URI and the PKCE verifier; returns an access token and ID token;
* ``GET|POST /userinfo`` — the citizen's claims for a bearer access token.

Issue 20 (the portal's single sign-on) options: ``dialect="portal"`` answers userinfo with the
portal's claim names (``SoDinhDanh``, ``HoVaTen``, ``NgayThangNamSinh`` ``dd/MM/yyyy``,
``GioiTinh`` ``Nam``/``Nữ``, ``LoaiTaiKhoan``); ``algorithm="ES256"`` signs with a P-256 key;
``signed_userinfo`` answers userinfo as a signed JWT (``application/jwt``); ``discovery=False``
publishes no discovery document; ``level`` is the level of assurance put in ``acr``
(``vneid-level-<n>``) and ``acr_values_seen`` records what clients asked for.

Logout: ``/authorize`` opens a provider session (a ``sid``, in the ID token and a cookie);
``GET /logout`` is the ``end_session_endpoint`` (RP-initiated logout: ``id_token_hint`` signed by
us, ``post_logout_redirect_uri`` registered for the client) and ``POST /portal-logout`` is the
citizen logging out at the portal itself (``sid`` in the form). Both end the session and send a
signed back-channel logout token (``iss``, ``aud``, ``iat``, ``jti``, ``events``, ``sub``,
``sid``) to each client of the session that registered a ``backchannel_logout_uri`` — through
``deliver(uri, token)``, an HTTP POST unless a test puts its own. ``sessions`` holds the live
sessions.

``faults`` makes the provider misbehave the way an attacker or a broken provider would, so the
client's checks can be tested against real tokens: ``tamper_id_token`` (payload changed after
signing), ``foreign_key`` (signed by a key not in the JWKS), ``wrong_nonce``, ``expired_id_token``,
``wrong_audience``, ``wrong_issuer``.
"""

import base64
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import unquote_plus, urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from sandbox.wsgi import form_values, query_values

from .citizens import CITIZENS, Citizen

AUTH_METHODS = ("client_secret_basic", "client_secret_post")
FAULTS = {
    "tamper_id_token",
    "foreign_key",
    "wrong_nonce",
    "expired_id_token",
    "wrong_audience",
    "wrong_issuer",
}


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    auth_methods: tuple[str, ...] = AUTH_METHODS
    post_logout_redirect_uris: list[str] = field(default_factory=list)
    backchannel_logout_uri: str = ""


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    citizen: Citizen
    nonce: str
    challenge: str
    scope: str
    expires: float
    sid: str = ""


@dataclass
class Session:
    """A citizen's session at the provider and the clients it logged into."""

    citizen: Citizen
    clients: set[str] = field(default_factory=set)


BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
SESSION_COOKIE = "sandbox_eid_sid"


def post_logout_token(uri: str, token: str) -> None:
    """Deliver a back-channel logout token the way the specification says: a form POST."""
    body = urlencode({"logout_token": token}).encode()
    request = urllib.request.Request(  # noqa: S310 - the client's registered address
        uri, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310
        pass


class _Reply(Exception):
    """Stop handling and answer this (status, headers, body)."""

    def __init__(self, status: str, body: bytes, headers: list | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or []


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _json(status: str, payload: dict, headers: list | None = None) -> _Reply:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return _Reply(
        status,
        body,
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Cache-Control", "no-store"),
            *(headers or []),
        ],
    )


def _oauth_error(error: str, description: str, status: str = "400 Bad Request", headers=None):
    return _json(status, {"error": error, "error_description": description}, headers)


def _new_key(algorithm: str = "RS256"):
    if algorithm == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _public_jwk(key, algorithm: str = "RS256") -> dict:
    """The public key as a JWK, with its RFC 7638 thumbprint as ``kid``."""
    if algorithm == "ES256":
        jwk = ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
        members = ("crv", "kty", "x", "y")
    else:
        jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
        members = ("e", "kty", "n")
    canonical = json.dumps({k: jwk[k] for k in members}, separators=(",", ":"))
    jwk.update(kid=_b64url(hashlib.sha256(canonical.encode()).digest()), use="sig", alg=algorithm)
    return jwk


def portal_claims(citizen: Citizen) -> dict:
    """The citizen's claims in the national portal's names."""
    year, month, day = citizen.birthdate.split("-")
    claims = {
        "sub": citizen.sub(),
        "SoDinhDanh": citizen.id_number,
        "HoVaTen": citizen.name,
        "NgayThangNamSinh": f"{day}/{month}/{year}",
        "GioiTinh": {"male": "Nam", "female": "Nữ"}.get(citizen.gender, ""),
        "LoaiTaiKhoan": "CongDan",
    }
    if citizen.phone_number:
        claims["SoDienThoai"] = citizen.phone_number
    if citizen.email:
        claims["ThuDienTu"] = citizen.email
    return claims


@dataclass
class Provider:
    """The WSGI application. ``issuer`` is the provider's base URL (no trailing slash)."""

    issuer: str
    clients: list[Client]
    citizens: list[Citizen] = field(default_factory=lambda: list(CITIZENS))
    id_claim: str = "citizen_id"
    faults: set[str] = field(default_factory=set)
    code_seconds: int = 60
    token_seconds: int = 600
    dialect: str = "oidc"
    algorithm: str = "RS256"
    signed_userinfo: bool = False
    discovery_published: bool = True
    level: int = 2
    acr_values_seen: list = field(default_factory=list)
    deliver: Callable[[str, str], None] = post_logout_token
    #: (client id, outcome) of each back-channel logout sent: ``ok`` or the error
    backchannel_sent: list = field(default_factory=list)
    #: what a test's ``deliver`` keeps instead of posting
    outbox: list = field(default_factory=list)

    def __post_init__(self):
        self.issuer = self.issuer.rstrip("/")
        self._key = _new_key(self.algorithm)
        self._jwk = _public_jwk(self._key, self.algorithm)
        self._codes: dict[str, _Grant] = {}
        self._tokens: dict[str, tuple[Citizen, float]] = {}
        self.sessions: dict[str, Session] = {}
        self._lock = threading.Lock()
        unknown = set(self.faults) - FAULTS
        if unknown:
            raise ValueError(f"unknown faults: {sorted(unknown)}")

    # --- WSGI ---------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
            "/userinfo": self.userinfo,
            "/logout": self.end_session,
            "/portal-logout": self.portal_logout,
        }
        handler = routes.get(environ.get("PATH_INFO", ""))
        try:
            if handler is None:
                raise _json("404 Not Found", {"error": "not_found"})
            raise handler(environ)
        except _Reply as reply:
            start_response(reply.status, [("Content-Length", str(len(reply.body))), *reply.headers])
            return [reply.body]

    # --- endpoints -----------------------------------------------------------------------

    def discovery(self, environ) -> _Reply:
        if not self.discovery_published:
            return _json("404 Not Found", {"error": "not_found"})
        return _json(
            "200 OK",
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": [self.algorithm],
                "scopes_supported": ["openid", "profile", "email", "phone", "address"],
                "token_endpoint_auth_methods_supported": sorted(
                    {m for c in self.clients for m in c.auth_methods}
                ),
                "code_challenge_methods_supported": ["S256"],
                "end_session_endpoint": f"{self.issuer}/logout",
                "backchannel_logout_supported": True,
                "backchannel_logout_session_supported": True,
                "claims_supported": [
                    "sub",
                    "name",
                    "birthdate",
                    "gender",
                    "phone_number",
                    "email",
                    "address",
                    self.id_claim,
                ],
            },
        )

    def jwks(self, environ) -> _Reply:
        return _json("200 OK", {"keys": [self._jwk]})

    def authorize(self, environ) -> _Reply:
        query = query_values(environ)
        client = self._client(query.get("client_id", ""))
        redirect_uri = query.get("redirect_uri", "")
        if client is None or redirect_uri not in client.redirect_uris:
            # never redirect to an address the client did not register
            raise _page(
                "400 Bad Request",
                "Yêu cầu không hợp lệ",
                "<p>Ứng dụng hoặc địa chỉ chuyển hướng chưa được đăng ký.</p>",
            )
        state = query.get("state", "")

        def back(**params) -> _Reply:
            params = {**params, "state": state} if state else params
            separator = "&" if "?" in redirect_uri else "?"
            location = f"{redirect_uri}{separator}{urlencode(params)}"
            return _Reply("302 Found", b"", [("Location", location)])

        if query.get("response_type") != "code":
            raise back(error="unsupported_response_type", iss=self.issuer)
        if "openid" not in query.get("scope", "").split():
            raise back(error="invalid_scope", error_description="scope must include openid")
        challenge = query.get("code_challenge", "")
        if query.get("code_challenge_method") != "S256" or not 43 <= len(challenge) <= 128:
            raise back(error="invalid_request", error_description="PKCE S256 is required")
        if query.get("deny"):
            raise back(error="access_denied", error_description="the citizen refused")
        if query.get("acr_values"):
            self.acr_values_seen.append(query["acr_values"])
        citizen = self._citizen(query.get("citizen", ""))
        if citizen is None:
            raise self._chooser(query, client)
        code = secrets.token_urlsafe(32)
        sid = self._session_for(environ, citizen, client.client_id)
        with self._lock:
            self._codes[code] = _Grant(
                client_id=client.client_id,
                redirect_uri=redirect_uri,
                citizen=citizen,
                nonce=query.get("nonce", ""),
                challenge=challenge,
                scope=query.get("scope", ""),
                expires=time.time() + self.code_seconds,
                sid=sid,
            )
        reply = back(code=code, iss=self.issuer)
        reply.headers.append(("Set-Cookie", f"{SESSION_COOKIE}={sid}; Path=/; HttpOnly"))
        raise reply

    def token(self, environ) -> _Reply:
        if environ.get("REQUEST_METHOD") != "POST":
            raise _oauth_error("invalid_request", "use POST", "405 Method Not Allowed")
        form = form_values(environ)
        client = self._authenticate_client(environ, form)
        if form.get("grant_type") != "authorization_code":
            raise _oauth_error("unsupported_grant_type", "only authorization_code")
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # a code is used once
        if grant is None or grant.expires < time.time():
            raise _oauth_error("invalid_grant", "unknown, used or expired code")
        if grant.client_id != client.client_id or grant.redirect_uri != form.get("redirect_uri"):
            raise _oauth_error("invalid_grant", "code issued to another client or redirect_uri")
        verifier = form.get("code_verifier", "")
        expected = _b64url(hashlib.sha256(verifier.encode()).digest())
        if not verifier or not hmac.compare_digest(expected, grant.challenge):
            raise _oauth_error("invalid_grant", "PKCE verifier does not match")
        access_token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[access_token] = (grant.citizen, time.time() + self.token_seconds)
        return _json(
            "200 OK",
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": self.token_seconds,
                "scope": grant.scope,
                "id_token": self.id_token(grant),
            },
        )

    def userinfo(self, environ) -> _Reply:
        challenge = [("WWW-Authenticate", 'Bearer error="invalid_token"')]
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        with self._lock:
            held = self._tokens.get(token) if scheme.lower() == "bearer" else None
        if held is None or held[1] < time.time():
            raise _oauth_error("invalid_token", "unknown or expired", "401 Unauthorized", challenge)
        citizen = held[0]
        claims = (
            portal_claims(citizen) if self.dialect == "portal" else citizen.claims(self.id_claim)
        )
        if not self.signed_userinfo:
            return _json("200 OK", claims)
        now = int(time.time())
        signed = jwt.encode(
            claims | {"iss": self.issuer, "aud": self.clients[0].client_id, "iat": now},
            self._key,
            algorithm=self.algorithm,
            headers={"kid": self._jwk["kid"]},
        )
        return _Reply("200 OK", signed.encode(), [("Content-Type", "application/jwt")])

    # --- pieces --------------------------------------------------------------------------

    def id_token(self, grant: _Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant.citizen.sub(),
            "aud": grant.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            "acr": f"vneid-level-{self.level}",
            "name": grant.citizen.name,
        }
        if grant.sid:
            claims["sid"] = grant.sid
        if grant.nonce:
            claims["nonce"] = grant.nonce
        if "wrong_nonce" in self.faults:
            claims["nonce"] = "not-" + grant.nonce
        if "expired_id_token" in self.faults:
            claims.update(iat=now - 3600, exp=now - 1800, auth_time=now - 3600)
        if "wrong_audience" in self.faults:
            claims["aud"] = "another-client"
        if "wrong_issuer" in self.faults:
            claims["iss"] = self.issuer + "/other"
        key = _new_key(self.algorithm) if "foreign_key" in self.faults else self._key
        token = jwt.encode(claims, key, algorithm=self.algorithm, headers={"kid": self._jwk["kid"]})
        if "tamper_id_token" in self.faults:
            header, _payload, signature = token.split(".")
            forged = {**claims, "sub": CITIZENS[0].sub(), "name": "Kẻ Mạo Danh"}
            payload = _b64url(json.dumps(forged).encode())
            token = f"{header}.{payload}.{signature}"
        return token

    def end_session(self, environ) -> _Reply:
        """RP-initiated logout: the hint must be an ID token we signed (expired is fine), the
        return address one the client registered; the session it names ends."""
        query = query_values(environ)
        try:
            hint = jwt.decode(
                query.get("id_token_hint", ""),
                self._key.public_key(),
                algorithms=[self.algorithm],
                options={"verify_exp": False, "verify_aud": False},
                issuer=self.issuer,
            )
        except jwt.PyJWTError:
            raise _page(
                "400 Bad Request", "Yêu cầu không hợp lệ", "<p>id_token_hint không hợp lệ.</p>"
            ) from None
        client = self._client(str(hint.get("aud", "")))
        target = query.get("post_logout_redirect_uri", "")
        if client is None or (target and target not in client.post_logout_redirect_uris):
            raise _page(
                "400 Bad Request",
                "Yêu cầu không hợp lệ",
                "<p>Địa chỉ chuyển hướng sau đăng xuất chưa được đăng ký.</p>",
            )
        self.end(str(hint.get("sid", "")))
        expired = [("Set-Cookie", f"{SESSION_COOKIE}=; Path=/; Max-Age=0")]
        if target:
            return _Reply("302 Found", b"", [("Location", target), *expired])
        return _page("200 OK", "Đã đăng xuất", "<p>Bạn đã đăng xuất khỏi VNeID.</p>")

    def portal_logout(self, environ) -> _Reply:
        """The citizen logs out at the provider (or the portal) itself: every client of the
        session hears it over the back channel."""
        if environ.get("REQUEST_METHOD") != "POST":
            raise _json("405 Method Not Allowed", {"error": "use POST"})
        sid = form_values(environ).get("sid", "") or _cookie(environ)
        if sid not in self.sessions:
            raise _json("404 Not Found", {"error": "no such session"})
        self.end(sid)
        return _json("200 OK", {"ended": sid})

    def end(self, sid: str) -> None:
        """End the session ``sid`` and tell its clients over the back channel."""
        with self._lock:
            session = self.sessions.pop(sid, None)
        if session is None:
            return
        for client_id in sorted(session.clients):
            client = self._client(client_id)
            if client is None or not client.backchannel_logout_uri:
                continue
            token = self.logout_token(client_id, session.citizen.sub(), sid)
            try:
                self.deliver(client.backchannel_logout_uri, token)
                outcome = "ok"
            except Exception as error:  # noqa: BLE001 - any failure is recorded, not raised
                outcome = repr(error)
            self.backchannel_sent.append((client_id, outcome))

    def logout_token(self, client_id: str, subject: str, sid: str, /, **changes) -> str:
        """A signed back-channel logout token; ``changes`` alter claims (``None`` drops one),
        so tests can check the client refuses a malformed one."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": client_id,
            "iat": now,
            "exp": now + 120,
            "jti": secrets.token_urlsafe(16),
            "sub": subject,
            "sid": sid,
            "events": {BACKCHANNEL_EVENT: {}},
        } | changes
        claims = {name: value for name, value in claims.items() if value is not None}
        headers = {"kid": self._jwk["kid"], "typ": "logout+jwt"}
        return jwt.encode(claims, self._key, algorithm=self.algorithm, headers=headers)

    def _session_for(self, environ, citizen: Citizen, client_id: str) -> str:
        """The browser's live session for this citizen (its cookie), or a new one."""
        sid = _cookie(environ)
        with self._lock:
            session = self.sessions.get(sid)
            if session is None or session.citizen is not citizen:
                sid = secrets.token_urlsafe(16)
                session = self.sessions[sid] = Session(citizen)
            session.clients.add(client_id)
        return sid

    def _client(self, client_id: str) -> Client | None:
        return next((c for c in self.clients if c.client_id == client_id), None)

    def _citizen(self, wanted: str) -> Citizen | None:
        return next((c for c in self.citizens if wanted and wanted in (c.id_number, c.sub())), None)

    def _authenticate_client(self, environ, form: dict) -> Client:
        scheme, _, encoded = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "basic":
            try:
                pair = base64.b64decode(encoded, validate=True).decode()
            except ValueError:
                pair = ""
            client_id, _, secret = pair.partition(":")
            client_id, secret, method = (
                unquote_plus(client_id),
                unquote_plus(secret),
                AUTH_METHODS[0],
            )
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
            method = AUTH_METHODS[1]
        client = self._client(client_id)
        if (
            client is None
            or method not in client.auth_methods
            or not hmac.compare_digest(secret.encode(), client.client_secret.encode())
        ):
            raise _oauth_error(
                "invalid_client",
                "client authentication failed",
                "401 Unauthorized",
                [("WWW-Authenticate", 'Basic realm="sandbox-eid"')],
            )
        return client

    def _chooser(self, query: dict, client: Client) -> _Reply:
        """The page a browser sees: pick a test citizen (or refuse)."""
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
            if k not in ("citizen", "deny")
        )
        rows = "".join(
            f'<li><form method="get" action="{html.escape(self.issuer)}/authorize">{hidden}'
            f'<button type="submit" name="citizen" value="{html.escape(c.id_number)}">'
            f"{html.escape(c.name)}</button> "
            f"<span>Số định danh {html.escape(c.id_number)} · sinh {html.escape(c.birthdate)}"
            f"</span></form></li>"
            for c in self.citizens
        )
        refuse = (
            f'<form method="get" action="{html.escape(self.issuer)}/authorize">{hidden}'
            '<button type="submit" name="deny" value="1" class="deny">Từ chối</button></form>'
        )
        body = (
            f"<p>Ứng dụng <strong>{html.escape(client.client_id)}</strong> muốn xác thực danh "
            "tính của bạn. Chọn một công dân thử nghiệm để đăng nhập:</p>"
            f'<ul class="citizens">{rows}</ul>{refuse}'
        )
        return _page("200 OK", "VNeID thử nghiệm — Đăng nhập", body)


def _cookie(environ) -> str:
    cookie = SimpleCookie()
    try:
        cookie.load(environ.get("HTTP_COOKIE", ""))
    except Exception:  # noqa: BLE001 - a garbled cookie is no session
        return ""
    morsel = cookie.get(SESSION_COOKIE)
    return morsel.value if morsel else ""


def _page(status: str, title: str, body: str) -> _Reply:
    document = f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: Arial, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem;
  color: #1b1b1b; }}
header {{ background: #a4161a; color: #fff; padding: .75rem 1rem; }}
.citizens {{ list-style: none; padding: 0; }}
.citizens li {{ margin: .5rem 0; }}
button {{ font: inherit; padding: .5rem 1rem; background: #1e6b34; color: #fff; border: 0;
  cursor: pointer; }}
button.deny {{ background: #b00020; }}
button:focus {{ outline: 3px solid #ffbf47; }}
</style></head>
<body><header><strong>VNeID thử nghiệm</strong> — nhà cung cấp định danh cục bộ</header>
<main><h1>{html.escape(title)}</h1>{body}</main></body></html>"""
    return _Reply(status, document.encode(), [("Content-Type", "text/html; charset=utf-8")])
