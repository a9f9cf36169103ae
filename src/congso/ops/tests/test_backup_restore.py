"""A backup survives the loss of the database and the files: restored, every dossier, stored
signed document (still valid for poppler's pdfsig) and the audit chain come back (issue 19,
item 5)."""

import shutil
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from congso.core import audit
from congso.feedback.tests.conftest import make_dossier, procedure  # noqa: F401 - fixtures
from congso.onestop.models import Dossier
from congso.ops import backup
from congso.signing import services
from congso.signing.models import SignedFile
from congso.signing.tests import support
from congso.signing.tests.conftest import authorities, pdf, seal  # noqa: F401 - fixtures

KEY = "một khoá sao lưu đủ dài của người vận hành 2026"


def _destroy_database():
    """What a lost disk leaves: no table at all."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        connections.close_all()
        return
    path = Path(connection.settings_dict["NAME"])
    connections.close_all()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.mark.django_db(transaction=True)
def test_backup_destroy_restore(settings, tmp_path, seal, pdf, make_dossier):  # noqa: F811
    settings.CONGSO_BACKUP_KEY = KEY
    dossiers = [make_dossier().code for _ in range(3)]
    signed = services.store_signed_file(services.sign_pdf(pdf, key=seal), name="qd.pdf")
    head = audit.head()
    archive = tmp_path / "backups" / "congso.cbk"

    began = time.monotonic()
    call_command("backup", output=str(archive))
    backup_seconds = time.monotonic() - began
    assert archive.exists() and archive.stat().st_mode & 0o077 == 0
    assert b"qd.pdf" not in archive.read_bytes()  # encrypted, names included

    media = Path(settings.MEDIA_ROOT)
    shutil.rmtree(media)
    _destroy_database()

    began = time.monotonic()
    call_command("restore", str(archive))
    restore_seconds = time.monotonic() - began

    assert sorted(Dossier.objects.values_list("code", flat=True)) == sorted(dossiers)
    restored = SignedFile.objects.get(pk=signed.pk)
    copy = tmp_path / "restored.pdf"
    copy.write_bytes(restored.file.read())
    assert support.pdfsig(copy).signature_valid
    assert audit.verify() == []
    assert audit.head().digest == head.digest or audit.head().record_id > head.record_id
    print(f"backup {backup_seconds:.2f} s, restore {restore_seconds:.2f} s")  # noqa: T201


@pytest.mark.django_db
def test_wrong_key_or_damage_is_refused(settings, tmp_path):
    settings.CONGSO_BACKUP_KEY = KEY
    archive = tmp_path / "congso.cbk"
    call_command("backup", output=str(archive))
    settings.CONGSO_BACKUP_KEY = "không phải khoá này"
    with pytest.raises(CommandError, match="Sai khoá"):
        call_command("restore", str(archive), force=True)
    settings.CONGSO_BACKUP_KEY = KEY
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="Sai khoá, hoặc bản sao lưu bị hỏng"):
        call_command("restore", str(archive), force=True)
    archive.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(CommandError, match="bị cắt cụt"):
        call_command("restore", str(archive), force=True)


@pytest.mark.django_db
def test_restore_does_not_overwrite_without_force(settings, tmp_path, make_dossier):  # noqa: F811
    settings.CONGSO_BACKUP_KEY = KEY
    make_dossier()
    audit.record("ops.test")
    archive = tmp_path / "congso.cbk"
    call_command("backup", output=str(archive))
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))


def test_no_key_no_backup(settings, tmp_path):
    settings.CONGSO_BACKUP_KEY = ""
    with pytest.raises(backup.BackupError, match="khoá"):
        backup.create(tmp_path / "x.cbk", "")
