"""Partner systems: their client credentials, their short-lived bearer tokens, and the DRF
classes that let a partner-facing endpoint accept them.

A system administrator creates a client (name, unit, scopes) and hands its secret over once;
the partner trades ``client_id`` + secret for a bearer token at ``POST /api/v1/oauth/token``
(OAuth 2.0 client credentials, RFC 6749 §4.4), valid ``CONGSO_PARTNER_TOKEN_SECONDS``. The
token authenticates as the client's service account, which holds one position of role
``PARTNER_ROLE`` at the unit: the services' own checks decide *where* it may act, the scopes
decide *which endpoints* it may call. Partner tokens count only on endpoints that list
``PartnerTokenAuthentication``; everywhere else they are not credentials at all.
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.settings import api_settings

from congso.accounts import permissions as rights
from congso.accounts.models import Position, User, UserKind
from congso.core import audit

from .models import PartnerClient, PartnerToken, Scope

#: The role of a partner's service account (granted in the ``ready`` of each app whose endpoints
#: partners call, onestop and documents: only what those endpoints need at the unit). Not among the roles administrators hand to people.
PARTNER_ROLE = "partner_system"
MANAGE_ACTION = "api.manage_partners"
TOKEN_PREFIX = "cspt_"
CLIENT_PREFIX = "pc-"


class ClientRefused(Exception):
    """Client authentication failed at the token endpoint (``invalid_client``)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_scopes(scopes) -> list[str]:
    chosen = sorted(set(scopes or []))
    unknown = [s for s in chosen if s not in Scope.values]
    if unknown or not chosen:
        raise ValidationError(
            {
                "scopes": [
                    _("Phạm vi không hợp lệ: %(bad)s. Chọn trong: %(known)s.")
                    % {"bad": ", ".join(unknown) or "—", "known": ", ".join(Scope.values)}
                ]
            }
        )
    return chosen


def require_admin(actor) -> None:
    if not rights.may(actor, MANAGE_ACTION):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được quản lý hệ thống đối tác."))


# --- management (system administrator) -------------------------------------------------------


@transaction.atomic
def create_client(actor, *, name: str, unit, scopes) -> tuple[PartnerClient, str]:
    """A new client and its secret (returned once, only its hash is kept)."""
    require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Nhập tên hệ thống đối tác.")]})
    scopes = _clean_scopes(scopes)
    client_id = CLIENT_PREFIX + secrets.token_hex(8)
    account = User(username=f"partner-{client_id}", kind=UserKind.OFFICIAL, full_name=name[:150])
    account.set_unusable_password()
    account.save()
    Position.objects.create(
        user=account,
        unit=unit,
        role=PARTNER_ROLE,
        title=_("Hệ thống đối tác"),
        valid_from=timezone.localdate(),
    )
    secret = secrets.token_urlsafe(32)
    client = PartnerClient.objects.create(
        name=name,
        client_id=client_id,
        secret_hash=make_password(secret),
        scopes=scopes,
        unit=unit,
        account=account,
    )
    audit.record(
        "api.partner.create", client, unit_id=unit.pk, data={"scopes": scopes, "name": name}
    )
    return client, secret


@transaction.atomic
def rotate_secret(actor, client: PartnerClient) -> str:
    """A new secret; the old one and every token issued under it stop working at once."""
    require_admin(actor)
    client = PartnerClient.objects.select_for_update().get(pk=client.pk)
    if not client.is_active:
        raise ValidationError(_("Hệ thống đối tác đã bị thu hồi, không thể đổi khoá bí mật."))
    secret = secrets.token_urlsafe(32)
    client.secret_hash = make_password(secret)
    client.rotated_at = timezone.now()
    client.save(update_fields=["secret_hash", "rotated_at"])
    client.tokens.all().delete()
    audit.record("api.partner.rotate", client, unit_id=client.unit_id)
    return secret


@transaction.atomic
def revoke_client(actor, client: PartnerClient) -> PartnerClient:
    """Stop the client for good: no new tokens, its tokens die, its service account closes."""
    require_admin(actor)
    client = PartnerClient.objects.select_for_update().get(pk=client.pk)
    client.is_active = False
    client.revoked_at = timezone.now()
    client.save(update_fields=["is_active", "revoked_at"])
    client.tokens.all().delete()
    User.objects.filter(pk=client.account_id).update(is_active=False)
    audit.record("api.partner.revoke", client, unit_id=client.unit_id)
    return client


# --- tokens ------------------------------------------------------------------------------------


def authenticate_client(client_id: str, secret: str) -> PartnerClient:
    """The active client whose secret this is, else ``ClientRefused`` (same work either way)."""
    client = PartnerClient.objects.filter(client_id=client_id).first()
    if client is None:
        make_password(secret)  # as slow as a real check: the answer time tells nothing
        raise ClientRefused("unknown")
    if not check_password(secret, client.secret_hash):
        raise ClientRefused("secret")
    if not client.is_active:
        raise ClientRefused("revoked")
    return client


def token_lifetime() -> int:
    return settings.CONGSO_PARTNER_TOKEN_SECONDS


@transaction.atomic
def issue_token(client: PartnerClient, requested: list[str] | None = None) -> tuple[str, list]:
    """A new bearer token for ``client`` with ``requested`` scopes (all granted ones when None);
    a scope not granted raises ``ValidationError``. The client's expired tokens are dropped."""
    scopes = sorted(set(requested)) if requested else sorted(client.scopes)
    if not set(scopes) <= set(client.scopes):
        raise ValidationError(_("Hệ thống đối tác không được cấp phạm vi đã yêu cầu."))
    now = timezone.now()
    client.tokens.filter(expires_at__lte=now).delete()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    PartnerToken.objects.create(
        client=client,
        key_hash=_digest(token),
        scopes=scopes,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=token_lifetime()),
    )
    audit.record("api.partner.token", client, unit_id=client.unit_id, data={"scopes": scopes})
    return token, scopes


# --- DRF ---------------------------------------------------------------------------------------


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer cspt_…``: a live token of an active client. Other credentials
    are left to the next authentication class, so officials log in as before."""

    def authenticate(self, request):
        kind, _space, token = authentication.get_authorization_header(request).partition(b" ")
        if kind.lower() != b"bearer" or not token.startswith(TOKEN_PREFIX.encode()):
            return None
        found = (
            PartnerToken.objects.select_related("client__account")
            .filter(key_hash=_digest(token.decode("ascii", "replace").strip()))
            .first()
        )
        if (
            found is None
            or found.expires_at <= timezone.now()
            or not found.client.is_active
            or not found.client.account.is_active
        ):
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập của hệ thống đối tác không hợp lệ hoặc đã hết hạn."),
                code="invalid_token",
            )
        return found.client.account, found

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema names the partner bearer token."""

    target_class = PartnerTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Mã truy cập của hệ thống đối tác từ POST /api/v1/oauth/token",
        }


def accepting_partners() -> list:
    """The authentication classes of a partner-facing endpoint: partner tokens, then the usual."""
    return [PartnerTokenAuthentication, *api_settings.DEFAULT_AUTHENTICATION_CLASSES]


class HasScope(permissions.BasePermission):
    """``HasScope("dossiers.sync")``: a partner token must carry that scope; any other caller is
    left to the endpoint's other permission classes. An instance stands in for the class DRF
    expects (calling it gives itself)."""

    code = "insufficient_scope"

    def __init__(self, scope: str):
        if scope not in Scope.values:
            raise ValueError(f"unknown partner scope {scope!r}")
        self.scope = scope

    def __call__(self):
        return self

    @property
    def message(self):
        return _("Mã truy cập của hệ thống đối tác không có phạm vi “%(scope)s”.") % {
            "scope": self.scope
        }

    def has_permission(self, request, view):
        if isinstance(request.auth, PartnerToken):
            return self.scope in request.auth.scopes
        return True
