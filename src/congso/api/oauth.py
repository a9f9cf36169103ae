"""``POST /api/v1/oauth/token``: the OAuth 2.0 token endpoint for partner systems, client
credentials grant only (RFC 6749 §4.4).

The client authenticates with HTTP Basic (``client_id:secret``, each form-urlencoded as §2.3.1
says) or with ``client_id`` and ``client_secret`` in the form body, never both. Errors use the
RFC's own format (§5.2: ``{"error": …, "error_description": …}``), not the API's, because
partners' OAuth libraries read that one; the description is in Vietnamese.
"""

import base64
import binascii
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from congso.core import audit, ratelimit

from . import partners

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _answer(body: dict, status: int = 200, **headers) -> JsonResponse:
    return JsonResponse(body, status=status, headers={**NO_STORE, **headers})


def _error(code: str, description: str, status: int = 400, **headers) -> JsonResponse:
    return _answer({"error": code, "error_description": description}, status, **headers)


def _refused_client(reason: str, client_id: str) -> JsonResponse:
    audit.record(
        "api.partner.token_refused",
        object_type="api.partnerclient",
        object_id=client_id[:40] or "-",
        object_repr=client_id[:255] or "-",
        data={"reason": reason},
    )
    return _error(
        "invalid_client",
        _("Xác thực hệ thống đối tác không thành công."),
        401,
        **{"WWW-Authenticate": 'Basic realm="congso"'},
    )


def _credentials(request) -> tuple[str, str] | None:
    """(client_id, secret) from exactly one method, or None when absent, doubled or unreadable."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    in_body = "client_id" in request.POST or "client_secret" in request.POST
    if header:
        kind, _space, encoded = header.partition(" ")
        if kind.lower() != "basic" or in_body:
            return None
        try:
            pair = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, colon, secret = pair.partition(":")
        return (unquote_plus(client_id), unquote_plus(secret)) if colon else None
    if in_body:
        return request.POST.get("client_id", ""), request.POST.get("client_secret", "")
    return None


@csrf_exempt
@require_POST
def token(request):
    if not ratelimit.allow_request(request, "oauth", settings.CONGSO_LOGIN_RATE):
        return _error(
            "slow_down",
            _("Gửi quá nhiều yêu cầu; hãy thử lại sau."),
            status=429,
            **{"Retry-After": "60"},
        )
    grant_type = request.POST.get("grant_type", "")
    if not grant_type:
        return _error("invalid_request", _("Thiếu tham số grant_type."))
    if grant_type != "client_credentials":
        return _error("unsupported_grant_type", _("Chỉ hỗ trợ grant_type=client_credentials."))
    credentials = _credentials(request)
    if credentials is None:
        return _refused_client("no_credentials", "")
    client_id, secret = credentials
    try:
        client = partners.authenticate_client(client_id, secret)
    except partners.ClientRefused as refused:
        return _refused_client(str(refused), client_id)
    requested = request.POST.get("scope", "").split() or None
    try:
        access_token, scopes = partners.issue_token(client, requested)
    except ValidationError as error:
        return _error("invalid_scope", " ".join(error.messages))
    return _answer(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": partners.token_lifetime(),
            "scope": " ".join(scopes),
        }
    )
