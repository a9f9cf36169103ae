"""Time-based one-time passwords (RFC 6238) for officials' second factor, the single-use
recovery codes that stand in for them, and the limit on guessing either."""

import hashlib
import secrets

import pyotp
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from congso.core import audit

from . import lockout
from .models import Factor, RecoveryCode

RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_COUNT = 10


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


# --- recovery codes -----------------------------------------------------------------------------


def _normalise(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _hash(user, code: str) -> str:
    """Codes carry 50 random bits, so a salted SHA-256 is enough (no slow hash to stretch)."""
    return hashlib.sha256(f"{user.pk}:{_normalise(code)}".encode()).hexdigest()


def new_recovery_codes(user) -> list[str]:
    """Replace ``user``'s recovery codes with fresh ones; the plain codes are returned once."""
    codes = []
    for _i in range(RECOVERY_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_hash(user, code)) for code in codes
    )
    return codes


def _use_recovery_code(user, code: str) -> bool:
    if len(_normalise(code)) != 10:
        return False
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_hash(user, code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if used:
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        audit.record("accounts.recovery_code.use", user, data={"left": left})
    return bool(used)


# --- the second factor as a person enters it ------------------------------------------------


def check(user, code: str) -> bool:
    """A TOTP code, or a recovery code in its place, with attempt limits: ``LockedOut`` while
    locked, each wrong code counted and audited. The current code works once."""
    lockout.check(user, Factor.TOTP, None)
    if verify(user, code) or _use_recovery_code(user, code):
        lockout.succeeded(user, Factor.TOTP, None)
        return True
    lockout.failed(user, Factor.TOTP, None)
    return False
