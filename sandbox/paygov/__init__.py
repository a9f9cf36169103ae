"""A local stand-in for the national payment platform (PayGov), JSON API signed HMAC-SHA256.

``python -m sandbox.paygov --port 8003`` serves it; tests call ``start_in_thread(port=0)``.
"""

from .platform import CANCELLED, Platform, sign
from .server import (
    DEFAULT_ACCESS_KEY,
    DEFAULT_PARTNER_CODE,
    DEFAULT_SECRET,
    Running,
    build,
    start_in_thread,
)

__all__ = [
    "CANCELLED",
    "DEFAULT_ACCESS_KEY",
    "DEFAULT_PARTNER_CODE",
    "DEFAULT_SECRET",
    "Platform",
    "Running",
    "build",
    "sign",
    "start_in_thread",
]
