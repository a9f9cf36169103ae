"""The document-exchange transport contract: what the outbox and inbox ask of the national
exchange axis (VDXP through the provincial LGSP) or any other carrier of edXML messages."""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Self


class TransportError(Exception):
    """The axis could not be reached or refused the call: retried later, nothing concluded."""


@dataclass
class Received:
    """A message waiting for one of our organs at the axis."""

    axis_id: str
    kind: str  # "edoc" or "status"
    from_organ: str
    payload: bytes


class Transport(ABC):
    """A carrier of edXML messages (a plugin: ``identifier``, ``verbose_name``)."""

    identifier: str
    verbose_name: str

    @classmethod
    @abstractmethod
    def from_settings(cls) -> Self:
        """The transport set up from this deployment's settings."""

    @property
    @abstractmethod
    def configured(self) -> bool:
        """Address and credentials all set."""

    @abstractmethod
    def send(self, from_organ: str, message_id: str, payload: bytes) -> str:
        """Hand one package or status message to the axis, which routes it by the organs it
        names; the same ``message_id`` twice is one message. Returns the axis's ID."""

    @abstractmethod
    def received(self, organ: str, kind: str) -> list[Received]:
        """The messages of ``kind`` waiting for ``organ``, with their content."""

    @abstractmethod
    def acknowledge(self, organ: str, axis_id: str) -> None:
        """Tell the axis ``organ`` has taken the message: it is not offered again."""
