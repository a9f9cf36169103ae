"""The national-portal sync contract: what the outbox, the reconciliation and the catalogue
pull ask of the portal (or of the provincial integration platform in front of it)."""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Self


class SyncError(Exception):
    """The portal could not be reached or refused the call: retried later, nothing concluded."""


@dataclass(frozen=True)
class Answer:
    """The portal's answer to one pushed revision: accepted (it holds the record) or refused
    with its code and message (a record it will not take — sent again when the dossier
    changes, not retried as it is)."""

    accepted: bool
    code: str
    message: str = ""


@dataclass(frozen=True)
class Holding:
    """What the portal holds for one dossier."""

    code: str
    revision: int
    status: str


@dataclass(frozen=True)
class CatalogueEntry:
    """One procedure of the national catalogue."""

    code: str
    name: str
    sector_code: str
    sector_name: str
    updated: str


class PortalSync(ABC):
    """A way to the national portal (a plugin: ``identifier``, ``verbose_name``)."""

    identifier: str
    verbose_name: str

    @classmethod
    @abstractmethod
    def from_settings(cls) -> Self:
        """The plugin set up from this deployment's ``CONGSO_PORTAL_SYNC_*`` settings."""

    @abstractmethod
    def push(self, code: str, revision: int, record: dict) -> Answer:
        """Hand one revision of a dossier's record to the portal; the same code and revision
        twice is one revision there. Returns the portal's answer (accepted or refused); raises
        ``SyncError`` when the portal could not be reached or did not answer."""

    @abstractmethod
    def holdings(self, agency_id: str = "") -> dict[str, Holding]:
        """What the portal holds of our dossiers (of one receiving agency if given)."""

    @abstractmethod
    def catalogue(self) -> list[CatalogueEntry]:
        """The national procedure catalogue as the portal publishes it."""
