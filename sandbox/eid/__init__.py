"""A local national-eID (VNeID) provider speaking OpenID Connect, for development and tests.

``python -m sandbox.eid --port 8001`` serves it; tests call ``start_in_thread(port=0, ...)``.
"""

from .citizens import CITIZENS, Citizen
from .provider import FAULTS, Client, Provider
from .server import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_REDIRECT_URIS,
    Running,
    build,
    start_in_thread,
)

__all__ = [
    "CITIZENS",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_REDIRECT_URIS",
    "FAULTS",
    "Citizen",
    "Client",
    "Provider",
    "Running",
    "build",
    "start_in_thread",
]
