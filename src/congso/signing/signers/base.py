"""The signer contract: how the services obtain a signature value for prepared signed attributes.

The server always prepares the PDF and the CMS signed attributes (``signing.external``) and
always embeds the result; a signer only produces the raw RSA PKCS#1 v1.5 signature over those
attributes, under the control its law asks for (Decree 130/2018, Decree 23/2025: a person's
signature is created under the signer's sole control, so a person's key never sits on the server).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Self


class SignerUnavailable(Exception):
    """The signer cannot be used now (service down, not configured); the message is Vietnamese."""


@dataclass
class Step:
    """What happens after ``start``: ``done`` (the value is there), ``agent`` (the browser hands
    ``request`` to the local agent), ``confirm`` (the official confirms on the phone; poll)."""

    kind: str
    request: dict = field(default_factory=dict)
    signature: bytes | None = None


@dataclass
class Outcome:
    """A poll's answer: ``pending``, ``done`` with ``signature``, ``rejected`` or ``expired``."""

    status: str
    signature: bytes | None = None


class Signer(ABC):
    """A way to sign (a plugin: ``identifier``, ``verbose_name``)."""

    identifier: str
    verbose_name: str
    #: May a person sign this way? May an organisation? (a person never with a server key)
    for_person: bool = True
    for_organisation: bool = False

    @classmethod
    @abstractmethod
    def from_settings(cls) -> Self:
        """The signer set up from this deployment's settings."""

    @property
    def configured(self) -> bool:
        return True

    @abstractmethod
    def start(self, pending) -> Step:
        """Ask for the signature of ``pending.signed_attributes`` (a ``PendingSignature``)."""

    def poll(self, pending) -> Outcome:
        """Where a started request stands (signers that answer at once never are polled)."""
        return Outcome("pending")
