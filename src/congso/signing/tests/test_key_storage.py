"""The keys the server holds live in the database, encrypted with a key from the environment:
another node (another var directory and media root) seals with them, nothing key-like is ever
written to a disk, a file left by an earlier version moves into the database, and the
key-encryption key can be rotated. Production without that key refuses to sign."""

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command

from congso.core.models import AuditRecord
from congso.signing import keystore, pki, services
from congso.signing.models import KeyBackend, SigningKey

pytestmark = pytest.mark.slow

MARKERS = (b"PRIVATE KEY", b"BEGIN ENCRYPTED")


def _pkcs8(issued: pki.Issued) -> bytes:
    return issued.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _key_like_files(roots, secret: bytes) -> list[Path]:
    """Files under ``roots`` that hold a key: PEM markers, the PKCS#8 bytes, a .p12/.pfx."""
    found = []
    for root in roots:
        for path in Path(root).rglob("*"):
            if not path.is_file():
                continue
            data = path.read_bytes()
            if (
                path.suffix in (".p12", ".pfx", ".pk8", ".key")
                or secret in data
                or any(marker in data for marker in MARKERS)
            ):
                found.append(path)
    return found


def _other_node(settings, tmp_path, name: str) -> None:
    """Point this process at an empty var directory and media root, and forget what it parsed."""
    settings.VAR_DIR = tmp_path / name / "var"
    settings.MEDIA_ROOT = tmp_path / name / "media"
    settings.VAR_DIR.mkdir(parents=True)
    keystore._open.cache_clear()


def test_another_node_seals_and_nothing_key_like_touches_a_disk(seal, pdf, settings, tmp_path):
    first_node = (settings.VAR_DIR, settings.MEDIA_ROOT)
    secret = _pkcs8(services.held_key(seal))
    assert seal.backend == KeyBackend.DATABASE and secret not in bytes(seal.encrypted_key)
    _other_node(settings, tmp_path, "node-2")
    signed = services.sign_pdf(pdf, key=SigningKey.objects.get(pk=seal.pk), reason="Đóng dấu")
    services.store_signed_file(signed, name="dong-dau.pdf")
    [report] = services.verify_pdf(signed)
    assert report.ok and report.signer == "UBND xã A"
    assert _key_like_files([*first_node, settings.VAR_DIR, settings.MEDIA_ROOT], secret) == []


def test_a_blob_moved_to_another_certificate_does_not_open(seal, authorities, pdf):
    intermediate = SigningKey.objects.get(certificate__common_name="Công Sở Demo Issuing CA")
    SigningKey.objects.filter(pk=seal.pk).update(encrypted_key=intermediate.encrypted_key)
    with pytest.raises(ValidationError, match="đã bị thay đổi"):
        services.sign_pdf(pdf, key=SigningKey.objects.get(pk=seal.pk))


def test_rotation_keeps_every_key_usable(seal, pdf, settings):
    settings.CONGSO_KEY_ENCRYPTION_KEY = "khoa-ma-hoa-moi-" + "x" * 32
    settings.CONGSO_KEY_ENCRYPTION_OLD_KEYS = []
    with pytest.raises(ValidationError, match="không còn cấu hình"):
        services.sign_pdf(pdf, key=SigningKey.objects.get(pk=seal.pk))
    settings.CONGSO_KEY_ENCRYPTION_OLD_KEYS = ["development:" + settings.SECRET_KEY]
    call_command("signing_keys", "--rotate")
    settings.CONGSO_KEY_ENCRYPTION_OLD_KEYS = []
    rotated = SigningKey.objects.get(pk=seal.pk)
    assert keystore.is_current(rotated.encrypted_key)
    assert services.verify_pdf(services.sign_pdf(pdf, key=rotated))[0].ok
    assert AuditRecord.objects.filter(action="signing.key_resealed").count() == 3


def test_a_key_file_of_an_earlier_version_moves_into_the_database(seal, pdf, settings):
    issued = services.held_key(seal)
    relative = f"signing/keys/{seal.certificate.fingerprint}.p12"
    path = Path(settings.VAR_DIR) / relative
    path.parent.mkdir(parents=True)
    path.write_bytes(pki.to_pkcs12(issued, settings.CONGSO_SIGNING_PASSPHRASE))
    SigningKey.objects.filter(pk=seal.pk).update(
        backend=KeyBackend.PKCS12, key_file=relative, encrypted_key=b""
    )
    with pytest.raises(ValidationError, match="signing_keys --import-files"):
        services.sign_pdf(pdf, key=SigningKey.objects.get(pk=seal.pk))
    call_command("signing_keys", "--import-files")
    moved = SigningKey.objects.get(pk=seal.pk)
    assert (moved.backend, moved.key_file, path.exists()) == (KeyBackend.DATABASE, "", False)
    assert services.verify_pdf(services.sign_pdf(pdf, key=moved))[0].ok


def test_a_key_file_missing_on_this_node_is_reported(seal, settings):
    SigningKey.objects.filter(pk=seal.pk).update(
        backend=KeyBackend.PKCS12, key_file="signing/keys/khong-co.p12"
    )
    with pytest.raises(CommandError, match="Còn 1 khoá"):
        call_command("signing_keys", "--import-files")
    assert SigningKey.objects.get(pk=seal.pk).backend == KeyBackend.PKCS12


def test_production_without_the_encryption_key_fails_closed(authorities, tree, settings):
    settings.PRODUCTION = True
    settings.CONGSO_KEY_ENCRYPTION_KEY = ""
    issued = pki.issue(pki.name("UBND xã B", organisation="UBND xã B"), issuer=authorities[1])
    certificate = services.import_certificate(
        pki.to_pem(issued.certificate), kind="org", owner_unit=tree["commune_b"]
    )
    with pytest.raises(ImproperlyConfigured, match="CONGSO_KEY_ENCRYPTION_KEY"):
        services.store_private_key(certificate, issued.key)
    assert not SigningKey.objects.filter(certificate=certificate).exists()
