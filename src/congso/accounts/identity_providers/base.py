"""The identity-provider contract: what the login and logout views ask of a provider."""

from abc import ABC, abstractmethod
from typing import Self

from ..eid import Login, LogoutNotice


class IdentityProvider(ABC):
    """One way of logging citizens in through an outside identity provider.

    Every failure raises ``congso.accounts.eid.EidError`` (a reason for the audit log, a
    Vietnamese message for the person)."""

    identifier: str = ""
    verbose_name: str = ""

    @classmethod
    @abstractmethod
    def from_settings(cls) -> Self:
        """The provider configured by the ``CONGSO_OIDC_*`` settings."""

    @abstractmethod
    def enabled(self) -> bool:
        """Is this provider configured (else its button is hidden)?"""

    @abstractmethod
    def begin(self, request, *, redirect_uri: str, next_url: str = "") -> str:
        """Remember what the callback will check; return the provider's login address."""

    @abstractmethod
    def complete(self, request) -> Login:
        """Check the provider's answer on the callback; who logged in, and what logout needs."""

    @abstractmethod
    def logout_url(self, *, id_token: str, post_logout_redirect_uri: str) -> str:
        """Where to send the browser to end the provider's session too ("" when nowhere)."""

    @abstractmethod
    def read_logout_token(self, token: str) -> LogoutNotice:
        """Verify a back-channel logout token; whose sessions to end."""
