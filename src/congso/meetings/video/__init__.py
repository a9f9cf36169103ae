"""Video bridges behind one contract (``base.Provider``); ``provider_for`` picks one by name."""

from .base import Participant, Provider, RoomSpec, RoomUnavailable
from .bbb import BigBlueButtonProvider
from .jitsi import JitsiProvider

PROVIDERS = {JitsiProvider.name: JitsiProvider, BigBlueButtonProvider.name: BigBlueButtonProvider}


def provider_for(name: str) -> Provider:
    return PROVIDERS[name]()


__all__ = ["Participant", "Provider", "RoomSpec", "RoomUnavailable", "provider_for", "PROVIDERS"]
