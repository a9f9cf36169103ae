"""A standard OpenID Connect provider (VNeID's own OpenID Connect service, or any compliant one):
authorization code + PKCE, standard claim names, RP-initiated and back-channel logout."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congso.accounts import eid

from ...base import IdentityProvider
from ...registry import registry


@registry.register("oidc")
class OidcProvider(IdentityProvider):
    verbose_name = _("OpenID Connect chuẩn (VNeID)")
    #: the claim names this provider answers in (``eid.DIALECTS``)
    claim_dialect = "oidc"

    @classmethod
    def from_settings(cls):
        return cls()

    def enabled(self) -> bool:
        return bool(settings.OIDC_ISSUER)

    def begin(self, request, *, redirect_uri: str, next_url: str = "") -> str:
        return eid.begin(request, redirect_uri=redirect_uri, next_url=next_url)

    def complete(self, request) -> eid.Login:
        return eid.complete(request, self.claim_dialect)

    def logout_url(self, *, id_token: str, post_logout_redirect_uri: str) -> str:
        return eid.end_session_url(
            id_token=id_token, post_logout_redirect_uri=post_logout_redirect_uri
        )

    def read_logout_token(self, token: str) -> eid.LogoutNotice:
        return eid.verify_logout_token(token)
