"""The contract every video bridge implements, so a province can plug in its own.

A provider turns a meeting and a participant into the URL the participant's browser opens. It
never stores secrets in the database: tokens and checksums are computed when someone joins.
"""

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class Participant:
    """Who joins: an official by name and e-mail, or an endpoint (a hall) by its room name."""

    name: str
    email: str = ""
    moderator: bool = False
    ident: str = ""


@dataclass(frozen=True)
class RoomSpec:
    """What a provider needs to know about a meeting."""

    room: str
    title: str
    start: dt.datetime
    end: dt.datetime


class Provider(ABC):
    """A video bridge (a plugin: ``identifier``, stored on ``Meeting.video_provider``, and
    ``verbose_name``)."""

    identifier: str
    verbose_name: str

    @abstractmethod
    def join_url(self, spec: RoomSpec, participant: Participant, now: dt.datetime) -> str:
        """The URL that lets ``participant`` into the room, valid from ``now``."""

    def create_url(self, spec: RoomSpec) -> str | None:
        """The URL that opens the room on the server, for bridges that need one (else ``None``)."""
        return None

    def open_room(self, spec: RoomSpec) -> None:
        """Make sure the room exists on the server before anyone joins (safe to repeat).

        Bridges that create rooms on first use (Jitsi) need nothing; others raise
        ``RoomUnavailable`` with a Vietnamese message when the server refuses or cannot be reached.
        """
        return None


class RoomUnavailable(Exception):
    """The video server could not open the room (its message is shown to the participant)."""
