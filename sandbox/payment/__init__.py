"""A local payment gateway speaking the VNPay 2.1.0 protocol, for development and tests.

``python -m sandbox.payment --port 8002`` serves it; tests call ``start_in_thread(port=0, ...)``.
"""

from .gateway import GOOD_CARD, OTP, POOR_CARD, Gateway, checksum, hash_data
from .server import (
    DEFAULT_IPN_URL,
    DEFAULT_SECRET,
    DEFAULT_TMN_CODE,
    PAY_PATH,
    Running,
    build,
    start_in_thread,
)

__all__ = [
    "DEFAULT_IPN_URL",
    "DEFAULT_SECRET",
    "DEFAULT_TMN_CODE",
    "GOOD_CARD",
    "OTP",
    "PAY_PATH",
    "POOR_CARD",
    "Gateway",
    "Running",
    "build",
    "checksum",
    "hash_data",
    "start_in_thread",
]
