"""The private keys the server may hold — the organisation's seal and the CAs it runs — as
AES-256-GCM blobs in the database, never as files on a node's disk.

Why: with several web and worker nodes (issue 19) a key file on one node's disk cannot sign on
another, and a disk (or its backup) is the easiest place to steal a key from. In the database the
key is shared by every node and encrypted with a key-encryption key (KEK) that lives only in the
environment (``CONGSO_KEY_ENCRYPTION_KEY``); production refuses to start signing without it, a
development or test process derives one from its secret key. Keys in a PKCS#11 HSM never pass
here at all.

A blob is ``b"CK1" + kek id (8 bytes) + nonce (12 bytes) + ciphertext``; the certificate's
fingerprint is the associated data, so a blob copied onto another certificate's row does not
open. Rotation: the new KEK becomes ``CONGSO_KEY_ENCRYPTION_KEY``, the old one goes into
``CONGSO_KEY_ENCRYPTION_OLD_KEYS`` until ``python -m congso signing_keys --rotate`` has
re-encrypted every blob.
"""

import hashlib
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

MAGIC = b"CK1"
KEK_ID_BYTES, NONCE_BYTES = 8, 12


class KeystoreError(Exception):
    """A blob that does not open (unknown or wrong KEK, altered, moved to another row)."""


def _derive(secret: str) -> bytes:
    """A 256-bit AES key from the configured secret (any long random string)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"congso-signing-keys", info=b"aes-256-gcm"
    ).derive(secret.encode())


def _kek_id(kek: bytes) -> bytes:
    return hashlib.sha256(b"kek-id" + kek).digest()[:KEK_ID_BYTES]


def current_kek() -> bytes:
    """The KEK new blobs are written with; production fails closed without one."""
    secret = settings.CONGSO_KEY_ENCRYPTION_KEY
    if not secret:
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                "CONGSO_KEY_ENCRYPTION_KEY must be set when CONGSO_ENV=production"
            )
        secret = "development:" + settings.SECRET_KEY
    return _derive(secret)


def _keks() -> dict[bytes, bytes]:
    """Every KEK a blob may have been written with, by id: the current one and the old ones."""
    keks = [current_kek(), *(_derive(old) for old in settings.CONGSO_KEY_ENCRYPTION_OLD_KEYS)]
    return {_kek_id(kek): kek for kek in keks}


def seal(plaintext: bytes, *, context: str) -> bytes:
    """Encrypt ``plaintext`` for the row identified by ``context`` (a fingerprint)."""
    kek = current_kek()
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + _kek_id(kek) + nonce + AESGCM(kek).encrypt(nonce, plaintext, context.encode())


def unseal(blob: bytes, *, context: str) -> bytes:
    blob = bytes(blob)
    if not blob.startswith(MAGIC):
        raise KeystoreError(_("Khoá ký lưu trong cơ sở dữ liệu không đúng định dạng."))
    header = len(MAGIC)
    kek_id = blob[header : header + KEK_ID_BYTES]
    nonce = blob[header + KEK_ID_BYTES : header + KEK_ID_BYTES + NONCE_BYTES]
    kek = _keks().get(kek_id)
    if kek is None:
        raise KeystoreError(
            _("Khoá ký được mã hoá bằng một khoá mã hoá không còn cấu hình trên máy chủ.")
        )
    try:
        return AESGCM(kek).decrypt(
            nonce, blob[header + KEK_ID_BYTES + NONCE_BYTES :], context.encode()
        )
    except InvalidTag as exc:
        raise KeystoreError(_("Khoá ký lưu trong cơ sở dữ liệu đã bị thay đổi.")) from exc


def is_current(blob: bytes) -> bool:
    """Was ``blob`` written with the current KEK (nothing to rotate)?"""
    return bytes(blob)[len(MAGIC) : len(MAGIC) + KEK_ID_BYTES] == _kek_id(current_kek())


def seal_private_key(private_key, *, context: str) -> bytes:
    """The PKCS#8 DER of ``private_key``, sealed."""
    der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return seal(der, context=context)


def open_private_key(blob: bytes, *, context: str):
    """The ``cryptography`` private key in ``blob``, parsed once per process and blob."""
    return _open(bytes(blob), context, settings.CONGSO_KEY_ENCRYPTION_KEY)


@lru_cache(maxsize=256)
def _open(blob: bytes, context: str, _kek_setting: str):
    return serialization.load_der_private_key(unseal(blob, context=context), password=None)


def import_key_file(row, var_dir, passphrase: str) -> bool:
    """Move a PKCS#12 file written by an earlier version (``row.key_file`` under ``var_dir``)
    into ``row`` (a ``SigningKey``, or its historical model in a migration), then delete the file.

    Returns False, changing nothing, when the file is not on this node or does not open with
    ``passphrase``: the row keeps pointing at it until the command runs where the file is.
    """
    from pathlib import Path

    from cryptography.hazmat.primitives.serialization import pkcs12

    path = Path(var_dir) / row.key_file
    if not row.key_file or not path.is_file():
        return False
    try:
        private_key, _certificate, _others = pkcs12.load_key_and_certificates(
            path.read_bytes(), passphrase.encode()
        )
    except ValueError:
        return False
    row.encrypted_key = seal_private_key(private_key, context=row.certificate.fingerprint)
    row.backend, row.key_file = "db", ""
    row.save(update_fields=["encrypted_key", "backend", "key_file"])
    path.unlink()
    return True


def reseal(row) -> bool:
    """Re-encrypt ``row``'s blob with the current KEK (rotation); False if already current."""
    if is_current(row.encrypted_key):
        return False
    context = row.certificate.fingerprint
    row.encrypted_key = seal(unseal(row.encrypted_key, context=context), context=context)
    row.save(update_fields=["encrypted_key"])
    return True


def discard_personal_key(row, var_dir) -> None:
    """A person's key an earlier version kept (a PKCS#12 file, a token on the server, a blob):
    its file on this node and its row go; the certificate stays, to be signed with from the
    official's own token or the CA's remote service."""
    from pathlib import Path

    if row.key_file:
        (Path(var_dir) / row.key_file).unlink(missing_ok=True)
    row.delete()
