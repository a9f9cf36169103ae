"""Time-based one-time passwords (RFC 6238) for officials' second factor."""

import pyotp
from django.conf import settings
from django.core.cache import cache


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.get_username(), issuer_name=settings.TOTP_ISSUER
    )


def verify(user, code: str) -> bool:
    """Accept the current code (±1 step of drift), each code once: a replayed code is refused."""
    code = (code or "").strip().replace(" ", "")
    if not user.totp_secret or not (code.isascii() and code.isdigit()) or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    if not totp.verify(code, valid_window=1):
        return False
    return cache.add(f"totp-used:{user.pk}:{code}", True, timeout=120)
