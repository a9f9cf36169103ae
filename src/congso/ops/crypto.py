"""The encryption of backups: AES-256-GCM in 1 MiB chunks, keyed by scrypt from the operator's
passphrase (``CONGSO_BACKUP_KEY``), so a backup of any size streams through a small buffer.

Layout: ``MAGIC``, 16 bytes of salt, 7 bytes of nonce prefix, then chunks (4-byte big-endian
length + ciphertext). Each chunk's nonce is the prefix, its 4-byte index and a final-chunk flag,
and the header is authenticated with every chunk: a chunk changed, dropped, moved or cut off at
the end fails to decrypt (the "STREAM" construction of Hoang, Reyhanitabar, Rogaway, Vizár 2015).
"""

import os
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"CONGSO-BACKUP-1\n"
CHUNK = 1024 * 1024
SALT_BYTES, PREFIX_BYTES = 16, 7


class BackupKeyError(ValueError):
    """Wrong key, or a damaged or truncated backup."""


def derive_key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def _nonce(prefix: bytes, index: int, final: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if final else b"\x00")


class EncryptingWriter:
    """A write-only file object: what is written is encrypted to ``sink``."""

    def __init__(self, sink, passphrase: str):
        salt, self.prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self.header = MAGIC + salt + self.prefix
        self.aead = AESGCM(derive_key(passphrase, salt))
        self.sink, self.buffer, self.index = sink, bytearray(), 0
        sink.write(self.header)

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep the last chunk back: it may be the final one
            self._emit(bytes(self.buffer[:CHUNK]), final=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, final: bool) -> None:
        sealed = self.aead.encrypt(_nonce(self.prefix, self.index, final), plain, self.header)
        self.sink.write(struct.pack(">I", len(sealed)) + sealed)
        self.index += 1

    def close(self) -> None:
        self._emit(bytes(self.buffer), final=True)
        self.buffer.clear()

    def flush(self) -> None:
        pass


def decrypt_chunks(source, passphrase: str):
    """Yield the plaintext of ``source`` chunk by chunk; raise ``BackupKeyError`` on any fault."""
    header = source.read(len(MAGIC) + SALT_BYTES + PREFIX_BYTES)
    if not header.startswith(MAGIC) or len(header) != len(MAGIC) + SALT_BYTES + PREFIX_BYTES:
        raise BackupKeyError("not a Công Sở backup")
    salt, prefix = header[len(MAGIC) : -PREFIX_BYTES], header[-PREFIX_BYTES:]
    aead, index = AESGCM(derive_key(passphrase, salt)), 0
    while True:
        length = source.read(4)
        if len(length) != 4:
            raise BackupKeyError("backup truncated")
        sealed = source.read(struct.unpack(">I", length)[0])
        final = source.peek(1)[:1] == b"" if hasattr(source, "peek") else None
        if final is None:
            raise BackupKeyError("source must be a buffered file")
        try:
            plain = aead.decrypt(_nonce(prefix, index, final), sealed, header)
        except Exception as error:  # InvalidTag: wrong key, changed or reordered data
            raise BackupKeyError("wrong key or damaged backup") from error
        yield plain
        if final:
            return
        index += 1


class DecryptingReader:
    """A read-only file object over ``decrypt_chunks`` (for ``tarfile`` in stream mode)."""

    def __init__(self, source, passphrase: str):
        self.chunks = decrypt_chunks(source, passphrase)
        self.current, self.position = b"", 0

    def read(self, size: int = -1) -> bytes:
        parts, wanted = [], size
        while wanted != 0:
            if self.position >= len(self.current):
                self.current, self.position = next(self.chunks, None), 0
                if self.current is None:
                    self.current = b""
                    break
            end = len(self.current) if wanted < 0 else self.position + wanted
            part = self.current[self.position : end]
            self.position += len(part)
            parts.append(part)
            if wanted > 0:
                wanted -= len(part)
        return b"".join(parts)
