"""Secrets the platform must use as they are (a webhook's signing secret, a mailbox's app
password) cannot be hashed, so they are kept **sealed**: AES-256-GCM under a key derived from
``SECRET_KEY`` by HKDF, one key per purpose, a random nonce per secret. A copy of the database
alone does not reveal them; rotating ``SECRET_KEY`` means entering them again."""

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SEALED = "v1:"


def _key(purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"congso-{purpose}-secret".encode()
    ).derive(settings.SECRET_KEY.encode())


def seal(secret: str, purpose: str) -> str:
    """``secret`` encrypted for storage, bound to ``purpose`` (it unseals under no other)."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_key(purpose)).encrypt(nonce, secret.encode(), purpose.encode())
    return SEALED + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(stored: str, purpose: str) -> str:
    """The secret back from storage; ``ValueError`` if it was sealed under another key."""
    if not stored.startswith(SEALED):
        raise ValueError(f"the {purpose} secret is not sealed")
    raw = base64.urlsafe_b64decode(stored.removeprefix(SEALED))
    try:
        return AESGCM(_key(purpose)).decrypt(raw[:12], raw[12:], purpose.encode()).decode()
    except InvalidTag as exc:
        raise ValueError(f"the {purpose} secret was sealed under another SECRET_KEY") from exc
