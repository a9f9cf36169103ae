"""Log in with the national eID (VNeID) over OpenID Connect.

Authorization code flow with PKCE (S256), ``state`` against request forgery and ``nonce`` against
replayed ID tokens. The provider is found through its discovery document
(``OIDC_ISSUER + "/.well-known/openid-configuration"``); the ID token is verified with PyJWT
against the provider's JWKS (RS256 only; issuer, audience = our client id, expiry, nonce); the
remaining claims come from the userinfo endpoint.

Settings: ``OIDC_ISSUER`` (empty: eID login is off and its button hidden), ``OIDC_CLIENT_ID``,
``OIDC_CLIENT_SECRET``, ``OIDC_SCOPES``; optional ``OIDC_ID_NUMBER_CLAIM`` — the claim carrying the
12-digit personal ID number (default ``citizen_id``), ``OIDC_TOKEN_AUTH_METHOD`` —
``client_secret_basic`` or ``client_secret_post`` (default: what the provider advertises, basic
first), ``OIDC_TIMEOUT`` (seconds per HTTP call, default 10) and ``OIDC_CLOCK_SKEW`` (seconds of
leeway on token times, default 60).

Issue 20 (the portal's single sign-on): claim names come from a *dialect* —
``OIDC_CLAIM_DIALECT`` ``oidc`` (standard names) or ``portal`` (the national portal's
``SoDinhDanh``, ``HoVaTen``, ``NgayThangNamSinh``, ``GioiTinh``, ``LoaiTaiKhoan``), each field
overridable with ``OIDC_CLAIM_MAP`` (``field=claim,...``); ``OIDC_ACR_VALUES`` is sent as
``acr_values`` and the level of assurance read from ``acr`` must be at least ``OIDC_MIN_LEVEL``
(the level is kept in the session: ``session_level``); endpoints may be set by hand
(``OIDC_AUTHORIZATION_ENDPOINT``, ``OIDC_TOKEN_ENDPOINT``, ``OIDC_JWKS_URI``,
``OIDC_USERINFO_ENDPOINT``) when the provider publishes no discovery document; ID tokens may be
RS256 or ES256; a userinfo answered as a signed JWT (``application/jwt``) is verified like the
ID token.

Logout (OpenID Connect RP-Initiated Logout 1.0 and Back-Channel Logout 1.0): ``end_session_url``
builds the provider's ``end_session_endpoint`` address with the ``id_token_hint`` kept in the
session at login; ``verify_logout_token`` checks a logout token the provider POSTs server to
server (signature, ``iss``, ``aud``, ``iat``, the back-channel ``events`` member, ``sid`` or
``sub``, no ``nonce``, each ``jti`` once). This module is the OpenID Connect protocol; which
provider (and so which claim dialect) is in use is the identity-provider plugin's
(``accounts/identity_providers``).

Every failure raises ``EidError`` with a reason (for the audit log) and a Vietnamese message (for
the login page).
"""

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import re
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import jwt
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .identity import normalise_phone

SESSION_KEY = "congso_eid_flow"
#: Session key set to ``"eid"`` when the session was opened through the national eID (the
#: per-dossier flag *login verified with VNeID* reads it through ``verified_session``).
LOGIN_METHOD_KEY = "congso_login_method"
#: Session key holding the level of assurance the eID vouched for at login (0: unknown).
LEVEL_KEY = "congso_eid_level"
#: Session keys holding the ID token (sent back as ``id_token_hint`` at logout) and the
#: provider's session id (``sid``).
ID_TOKEN_KEY = "congso_eid_id_token"
SID_KEY = "congso_eid_sid"
#: The ``events`` member a back-channel logout token must carry.
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
#: ID-token and signed-userinfo algorithms accepted.
ALGORITHMS = ("RS256", "ES256")
FLOW_MAX_AGE = 600
MAX_RESPONSE_BYTES = 1_000_000
CACHE_SECONDS = 3600

MESSAGES = {
    "disabled": _("Đăng nhập bằng VNeID chưa được bật trên hệ thống này."),
    "provider_unreachable": _(
        "Không kết nối được tới VNeID. Vui lòng thử lại sau hoặc đăng nhập bằng mật khẩu."
    ),
    "provider_error": _("VNeID trả về phản hồi không hợp lệ. Vui lòng thử lại sau."),
    "state_mismatch": _(
        "Phiên đăng nhập bằng VNeID không hợp lệ hoặc đã hết hạn. "
        "Vui lòng bấm “Đăng nhập bằng VNeID” để bắt đầu lại."
    ),
    "access_denied": _("Bạn đã huỷ đăng nhập bằng VNeID."),
    "authorization_error": _("VNeID không chấp nhận yêu cầu đăng nhập. Vui lòng thử lại."),
    "token_rejected": _("VNeID không chấp nhận mã đăng nhập. Vui lòng đăng nhập lại."),
    "bad_token": _(
        "Không xác minh được thông tin đăng nhập từ VNeID (chữ ký hoặc nội dung không hợp lệ)."
    ),
    "expired_token": _("Thông tin đăng nhập từ VNeID đã hết hạn. Vui lòng đăng nhập lại."),
    "nonce_mismatch": _(
        "Thông tin đăng nhập từ VNeID không thuộc phiên đăng nhập này. Vui lòng đăng nhập lại."
    ),
    "inactive": _("Tài khoản gắn với định danh này đã bị vô hiệu hoá. Hãy liên hệ quản trị viên."),
    "demo": _("Tài khoản trình diễn không dùng được khi hệ thống không ở chế độ trình diễn."),
    "bad_logout_token": _("Yêu cầu đăng xuất từ VNeID không hợp lệ."),
    "level_too_low": _(
        "Tài khoản định danh điện tử của bạn chưa đạt mức độ 2. Hãy kích hoạt tài khoản VNeID "
        "mức độ 2 rồi đăng nhập lại."
    ),
}


class EidError(Exception):
    """A failed eID login: ``reason`` for the audit log, ``message`` for the person."""

    def __init__(self, reason: str, detail: str = "", message: str | None = None):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail[:500]
        self.message = str(message or MESSAGES.get(reason, MESSAGES["provider_error"]))


@dataclass(frozen=True)
class EidIdentity:
    """What the national eID vouches for about the person logging in."""

    subject: str
    id_number: str = ""
    full_name: str = ""
    date_of_birth: dt.date | None = None
    sex: str = ""
    phone: str | None = None
    email: str = ""
    address: str = ""
    #: the level of assurance (``acr``): 2 for a VNeID level-2 account; 0 when not said
    level: int = 0
    #: the portal's ``LoaiTaiKhoan`` (citizen, organisation …) as the provider wrote it
    account_type: str = ""


@dataclass(frozen=True)
class Login:
    """A verified login: who, where to go next, and what logout will need (the raw ID token
    for ``id_token_hint``, the provider's session id ``sid`` for back-channel logout)."""

    identity: EidIdentity
    next_url: str
    id_token: str
    sid: str = ""


@dataclass(frozen=True)
class LogoutNotice:
    """A verified back-channel logout: end the sessions of ``sid`` (or, without one, every
    session of ``subject``)."""

    subject: str
    sid: str


def session_level(request) -> int:
    """The level of assurance of this session's eID login (0 if not logged in with the eID)."""
    return int(request.session.get(LEVEL_KEY, 0)) if verified_session(request) else 0


def filing_refusal(request) -> str:
    """Why this session may not file a dossier online ("" if it may).

    Decree 69/2024/NĐ-CP (art. 12, 13): online public services take a level-2 electronic
    identity account. A citizen logged in through the eID at a level the provider stated below
    ``CONGSO_FILING_MIN_LEVEL`` is told why and how to upgrade; a provider that states no level
    (0) is not second-guessed here (``OIDC_MIN_LEVEL`` refuses such logins outright)."""
    level = session_level(request)
    if not 0 < level < settings.CONGSO_FILING_MIN_LEVEL:
        return ""
    return str(
        _(
            "Tài khoản định danh điện tử bạn dùng để đăng nhập mới ở mức độ %(level)s. Nộp hồ "
            "sơ trực tuyến cần tài khoản VNeID mức độ %(required)s (Nghị định 69/2024/NĐ-CP). "
            "Hãy nâng cấp: mang thẻ căn cước đến Công an xã, phường nơi cư trú (hoặc làm trên "
            "ứng dụng VNeID nếu đã có căn cước gắn chip) để kích hoạt mức độ %(required)s, "
            "rồi đăng xuất và đăng nhập lại bằng VNeID. Hồ sơ chưa được nộp."
        )
        % {"level": level, "required": settings.CONGSO_FILING_MIN_LEVEL}
    )


def verified_session(request) -> bool:
    """Was this session opened by logging in through the national eID?"""
    return request.session.get(LOGIN_METHOD_KEY) == "eid"


def id_number_claim() -> str:
    return settings.OIDC_ID_NUMBER_CLAIM or "citizen_id"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 S256: base64url(SHA-256(verifier)) without padding."""
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


# --- HTTP -----------------------------------------------------------------------------------


def _is_http_url(value) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def _fetch(
    url: str,
    *,
    data: dict | None = None,
    headers: dict | None = None,
    rejected: str = "provider_error",
) -> tuple[str, bytes]:
    """GET (or POST a form to) ``url``: its content type and body; map every failure."""
    if not _is_http_url(url):
        raise EidError("provider_error", f"not an http(s) URL: {url[:100]}")
    body = urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        headers={"Accept": "application/json, application/jwt", **(headers or {})},
    )
    timeout = settings.OIDC_TIMEOUT
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read(MAX_RESPONSE_BYTES + 1)
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        detail = error.read(2000).decode("utf-8", "replace")
        raise EidError(rejected, f"HTTP {error.code} from {url}: {detail}") from error
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
        raise EidError("provider_unreachable", f"{url}: {error!r}") from error
    if len(raw) > MAX_RESPONSE_BYTES:
        raise EidError("provider_error", f"response from {url} too large")
    return content_type.lower(), raw


def _json_object(raw: bytes, url: str) -> dict:
    try:
        payload = json.loads(raw)
    except ValueError as error:
        raise EidError("provider_error", f"{url} did not answer JSON") from error
    if not isinstance(payload, dict):
        raise EidError("provider_error", f"{url} did not answer a JSON object")
    return payload


def _fetch_json(
    url: str,
    *,
    data: dict | None = None,
    headers: dict | None = None,
    rejected: str = "provider_error",
) -> dict:
    """GET (or POST a form to) ``url`` and return its JSON object; map every failure."""
    _content_type, raw = _fetch(url, data=data, headers=headers, rejected=rejected)
    return _json_object(raw, url)


def _manual_endpoints() -> dict | None:
    """Endpoints set by hand, for a provider that publishes no discovery document."""
    document = {
        "issuer": settings.OIDC_ISSUER,
        "authorization_endpoint": settings.OIDC_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_TOKEN_ENDPOINT,
        "jwks_uri": settings.OIDC_JWKS_URI,
        "userinfo_endpoint": settings.OIDC_USERINFO_ENDPOINT,
        "end_session_endpoint": settings.OIDC_END_SESSION_ENDPOINT,
    }
    required = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if not all(document[name] for name in required):
        return None
    for name, value in document.items():
        if name != "issuer" and value and not _is_http_url(value):
            raise EidError("provider_error", f"{name} set by hand is not an http(s) URL")
    return document


def discovery() -> dict:
    """The provider's discovery document (or the endpoints set by hand), checked and cached
    for an hour."""
    manual = _manual_endpoints()
    if manual is not None:
        return manual
    issuer = settings.OIDC_ISSUER
    key = "eid:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        document = _fetch_json(issuer + "/.well-known/openid-configuration")
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise EidError("provider_error", f"discovery issuer {document.get('issuer')!r}")
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not _is_http_url(document.get(name)):
                raise EidError("provider_error", f"discovery lacks an http(s) {name}")
        for name in ("userinfo_endpoint", "end_session_endpoint"):
            if document.get(name) and not _is_http_url(document[name]):
                raise EidError("provider_error", f"discovery has a bad {name}")
        cache.set(key, document, CACHE_SECONDS)
    return document


def _jwks(uri: str, *, fresh: bool = False) -> dict:
    key = "eid:jwks:" + hashlib.sha256(uri.encode()).hexdigest()
    keys = None if fresh else cache.get(key)
    if keys is None:
        keys = _fetch_json(uri)
        cache.set(key, keys, CACHE_SECONDS)
    return keys


def published_keys() -> int:
    """How many signing keys the provider publishes now (the discovery document and the JWKS
    fetched afresh): the administrator's connection test. ``EidError`` if unreachable."""
    keys = _jwks(discovery()["jwks_uri"], fresh=True).get("keys")
    if not isinstance(keys, list) or not keys:
        raise EidError("provider_error", "the JWKS holds no key")
    return len(keys)


def _signing_key(jwks_uri: str, kid: str | None):
    """The provider's public key for ``kid``; refetch the JWKS once in case keys rotated."""
    for fresh in (False, True):
        try:
            key_set = jwt.PyJWKSet.from_dict(_jwks(jwks_uri, fresh=fresh))
        except jwt.PyJWTError as error:
            raise EidError("provider_error", f"unusable JWKS: {error}") from error
        keys = [k for k in key_set.keys if k.public_key_use in (None, "sig")]
        matching = (
            [k for k in keys if k.key_id == kid] if kid else keys[:1] if len(keys) == 1 else []
        )
        if matching:
            return matching[0].key
    raise EidError("bad_token", f"no key {kid!r} in the provider's JWKS")


# --- the flow -------------------------------------------------------------------------------


def _scopes() -> str:
    scopes = settings.OIDC_SCOPES.split()
    return " ".join(scopes if "openid" in scopes else ["openid", *scopes])


def begin(request, *, redirect_uri: str, next_url: str = "") -> str:
    """Remember state, nonce and PKCE verifier in the session; return the provider's URL."""
    document = discovery()
    flow = {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": secrets.token_urlsafe(64),
        "redirect_uri": redirect_uri,
        "next": next_url,
        "at": time.time(),
    }
    request.session[SESSION_KEY] = flow
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.OIDC_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "scope": _scopes(),
            "state": flow["state"],
            "nonce": flow["nonce"],
            "code_challenge": pkce_challenge(flow["verifier"]),
            "code_challenge_method": "S256",
        }
        | ({"acr_values": settings.OIDC_ACR_VALUES} if settings.OIDC_ACR_VALUES else {})
    )
    endpoint = document["authorization_endpoint"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def complete(request, dialect: str = "") -> Login:
    """Check the provider's answer on the callback and return who logged in and where to go."""
    flow = request.session.pop(SESSION_KEY, None)
    params = request.GET
    state = params.get("state", "")
    if (
        not isinstance(flow, dict)
        or not state
        or not hmac.compare_digest(state.encode(), str(flow.get("state", "")).encode())
    ):
        raise EidError("state_mismatch", "callback state does not match the session")
    if time.time() - float(flow.get("at", 0)) > FLOW_MAX_AGE:
        raise EidError("state_mismatch", "login flow too old")
    if params.get("error"):
        reason = "access_denied" if params["error"] == "access_denied" else "authorization_error"
        raise EidError(reason, f"{params['error']}: {params.get('error_description', '')}")
    code = params.get("code", "")
    if not code:
        raise EidError("authorization_error", "callback without code")
    document = discovery()
    tokens = exchange_code(document, code, flow)
    claims = verify_id_token(
        tokens["id_token"],
        jwks_uri=document["jwks_uri"],
        issuer=settings.OIDC_ISSUER,
        audience=settings.OIDC_CLIENT_ID,
        nonce=flow["nonce"],
    )
    if document.get("userinfo_endpoint") and tokens.get("access_token"):
        claims = {
            **claims,
            **userinfo(document["userinfo_endpoint"], tokens, claims["sub"], document["jwks_uri"]),
        }
    identity = identity_from_claims(claims, dialect)
    if identity.level < settings.OIDC_MIN_LEVEL:
        raise EidError("level_too_low", f"level {identity.level} < {settings.OIDC_MIN_LEVEL}")
    return Login(identity, flow.get("next", ""), tokens["id_token"], str(claims.get("sid", "")))


def _token_auth_method(document: dict) -> str:
    configured = settings.OIDC_TOKEN_AUTH_METHOD
    if configured:
        return configured
    supported = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    for method in ("client_secret_basic", "client_secret_post"):
        if method in supported:
            return method
    raise EidError("provider_error", f"no supported client authentication in {supported}")


def exchange_code(document: dict, code: str, flow: dict) -> dict:
    """Trade the authorization code (with the PKCE verifier) for tokens at the token endpoint."""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": flow["redirect_uri"],
        "code_verifier": flow["verifier"],
    }
    headers = {}
    client_id, secret = settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET
    if _token_auth_method(document) == "client_secret_post":
        data.update(client_id=client_id, client_secret=secret)
    else:
        pair = f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    tokens = _fetch_json(
        document["token_endpoint"], data=data, headers=headers, rejected="token_rejected"
    )
    if not isinstance(tokens.get("id_token"), str):
        raise EidError("provider_error", "token response without id_token")
    return tokens


def _token_key(token: str, jwks_uri: str, reason: str) -> tuple[str, object]:
    """The algorithm a token of the provider names (one we accept) and the provider's key for it;
    ``EidError(reason)`` when the header is unreadable or names another algorithm."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise EidError(reason, f"unreadable token: {error}") from error
    if header.get("alg") not in ALGORITHMS:
        raise EidError(reason, f"token algorithm {header.get('alg')!r}")
    return header["alg"], _signing_key(jwks_uri, header.get("kid"))


def verify_id_token(token: str, *, jwks_uri: str, issuer: str, audience: str, nonce: str) -> dict:
    """Signature (RS256 or ES256, the provider's JWKS; the key must be of the algorithm's
    type), issuer, audience, times and nonce."""
    algorithm, key = _token_key(token, jwks_uri, "bad_token")
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=audience,
            issuer=issuer,
            leeway=settings.OIDC_CLOCK_SKEW,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise EidError("expired_token", str(error)) from error
    except jwt.PyJWTError as error:
        raise EidError("bad_token", f"{type(error).__name__}: {error}") from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != audience:
        raise EidError("bad_token", "several audiences and azp is not our client")
    if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
        raise EidError("nonce_mismatch", "ID token nonce differs from the session's")
    return claims


def userinfo(endpoint: str, tokens: dict, subject: str, jwks_uri: str = "") -> dict:
    """The userinfo claims; a signed answer (``application/jwt``) is verified with the
    provider's keys (issuer and audience checked) before any claim is used."""
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    content_type, raw = _fetch(endpoint, headers=headers)
    if content_type.startswith("application/jwt"):
        info = _verify_signed_userinfo(raw.decode("ascii", "replace").strip(), jwks_uri)
    else:
        info = _json_object(raw, endpoint)
    if str(info.get("sub", "")) != str(subject):
        raise EidError("bad_token", "userinfo subject differs from the ID token's")
    return info


# --- claims ---------------------------------------------------------------------------------

_SEX = {"male": "male", "female": "female", "nam": "male", "nữ": "female", "nu": "female"}


def _date(value, *, day_first: bool = False) -> dt.date | None:
    """ISO ``yyyy-mm-dd`` (OIDC's ``birthdate``); ``dd/mm/yyyy`` too for the portal's own
    claim (``day_first``)."""
    text = str(value or "").strip()
    try:
        if day_first and re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            day, month, year = (int(part) for part in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _level(value) -> int:
    """The level of assurance in an ``acr`` such as ``2``, ``vneid-level-2`` or
    ``urn:…:loa:2`` (the last number in it); 0 when there is none."""
    numbers = re.findall(r"\d+", str(value or ""))
    return int(numbers[-1]) if numbers else 0


#: Claim names per dialect: field → the claims to read, first present wins. ``id_number`` of
#: the OIDC dialect is ``OIDC_ID_NUMBER_CLAIM``.
DIALECTS = {
    "oidc": {
        "name": ("name",),
        "birthdate": ("birthdate",),
        "gender": ("gender",),
        "phone": ("phone_number",),
        "email": ("email",),
        "address": ("address",),
        "level": ("acr",),
        "account_type": (),
    },
    "portal": {
        "id_number": ("SoDinhDanh",),
        "name": ("HoVaTen", "name"),
        "birthdate": ("NgayThangNamSinh", "birthdate"),
        "gender": ("GioiTinh", "gender"),
        "phone": ("SoDienThoai", "phone_number"),
        "email": ("ThuDienTu", "email"),
        "address": ("DiaChi", "address"),
        "level": ("acr",),
        "account_type": ("LoaiTaiKhoan",),
    },
}


def claim_map(dialect_name: str = "") -> dict[str, tuple[str, ...]]:
    """The claim names in use: the dialect's (``OIDC_CLAIM_DIALECT``, else the identity
    provider's), then ``OIDC_CLAIM_MAP`` overrides."""
    name = settings.OIDC_CLAIM_DIALECT or dialect_name or "oidc"
    dialect = DIALECTS.get(name, DIALECTS["oidc"])
    mapping = {"id_number": (id_number_claim(),), **dialect}
    for pair in settings.OIDC_CLAIM_MAP.split(","):
        field, _sep, claim = pair.partition("=")
        if field.strip() and claim.strip():
            mapping[field.strip()] = (claim.strip(),)
    return mapping


def _named_claim(claims: dict, mapping: dict, field: str) -> tuple[str, object]:
    """The first claim present for ``field``: its name and value (``("", None)`` if none)."""
    for name in mapping.get(field, ()):
        if claims.get(name) not in (None, ""):
            return name, claims[name]
    return "", None


def _claim(claims: dict, mapping: dict, field: str):
    return _named_claim(claims, mapping, field)[1]


def _phone(value) -> str | None:
    try:
        return normalise_phone(str(value)) if value else None
    except ValidationError:
        return None


def _email(value) -> str:
    email = str(value or "").strip().lower()
    if len(email) > 254:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def _address(value) -> str:
    if isinstance(value, dict):
        value = value.get("formatted", "")
    return str(value or "").strip()


def identity_from_claims(claims: dict, dialect: str = "") -> EidIdentity:
    """Map the provider's claims (in the configured dialect) to an ``EidIdentity``."""
    mapping = claim_map(dialect)
    name = _claim(claims, mapping, "name") or " ".join(
        str(claims[part])
        for part in ("family_name", "middle_name", "given_name")
        if claims.get(part)
    )
    subject = str(claims["sub"])
    if not subject or len(subject) > 100:
        raise EidError("provider_error", f"unusable subject of {len(subject)} characters")
    email = _claim(claims, mapping, "email")
    birth_claim, birth = _named_claim(claims, mapping, "birthdate")
    return EidIdentity(
        subject=subject,
        id_number=str(_claim(claims, mapping, "id_number") or "").strip()[:20],
        full_name=" ".join(str(name).split())[:150],
        date_of_birth=_date(birth, day_first=birth_claim != "birthdate"),
        sex=_SEX.get(str(_claim(claims, mapping, "gender") or "").strip().lower(), ""),
        phone=_phone(_claim(claims, mapping, "phone")),
        email=_email(email) if claims.get("email_verified", True) else "",
        address=_address(_claim(claims, mapping, "address")),
        level=_level(_claim(claims, mapping, "level")),
        account_type=str(_claim(claims, mapping, "account_type") or "")[:30],
    )


def _verify_signed_userinfo(token: str, jwks_uri: str) -> dict:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise EidError("bad_token", f"unreadable signed userinfo: {error}") from error
    if header.get("alg") not in ALGORITHMS or not jwks_uri:
        raise EidError("bad_token", f"signed userinfo algorithm {header.get('alg')!r}")
    try:
        return jwt.decode(
            token,
            _signing_key(jwks_uri, header.get("kid")),
            algorithms=[header["alg"]],
            audience=settings.OIDC_CLIENT_ID,
            issuer=settings.OIDC_ISSUER,
            leeway=settings.OIDC_CLOCK_SKEW,
        )
    except jwt.PyJWTError as error:
        raise EidError("bad_token", f"signed userinfo: {type(error).__name__}: {error}") from error


# --- logout ---------------------------------------------------------------------------------


def end_session_url(*, id_token: str, post_logout_redirect_uri: str) -> str:
    """RP-initiated logout: the provider's ``end_session_endpoint`` with the ID token as
    ``id_token_hint`` (so the provider knows whose session, and that we issued the request)
    and where to send the browser afterwards (registered with the provider). Empty when the
    provider offers no such endpoint: the local logout is then all there is."""
    try:
        endpoint = discovery().get("end_session_endpoint") or ""
    except EidError:
        return ""  # the provider is down: our session still ends
    if not endpoint or not id_token:
        return ""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": settings.OIDC_CLIENT_ID,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def verify_logout_token(token: str) -> LogoutNotice:
    """A back-channel logout token (OpenID Connect Back-Channel Logout 1.0 §2.6): signed by the
    provider, our issuer and audience, an ``iat``, the back-channel ``events`` member, a ``sid``
    or ``sub``, no ``nonce`` (so an ID token cannot be replayed as a logout token), and each
    ``jti`` accepted once."""
    algorithm, key = _token_key(token, discovery()["jwks_uri"], "bad_logout_token")
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=settings.OIDC_CLIENT_ID,
            issuer=settings.OIDC_ISSUER,
            leeway=settings.OIDC_CLOCK_SKEW,
            options={"require": ["iss", "aud", "iat"]},
        )
    except jwt.PyJWTError as error:
        raise EidError("bad_logout_token", f"{type(error).__name__}: {error}") from error
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_EVENT), dict):
        raise EidError("bad_logout_token", "no back-channel logout event")
    if "nonce" in claims:
        raise EidError("bad_logout_token", "a logout token carries no nonce")
    subject, sid = str(claims.get("sub") or ""), str(claims.get("sid") or "")
    if not subject and not sid:
        raise EidError("bad_logout_token", "neither sub nor sid")
    jti = str(claims.get("jti") or "")
    if jti and not cache.add("eid:logout-jti:" + hashlib.sha256(jti.encode()).hexdigest(), 1, 600):
        raise EidError("bad_logout_token", "logout token replayed")
    return LogoutNotice(subject=subject, sid=sid)
