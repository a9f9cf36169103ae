"""Backup and restore: the database (a consistent dump) and the stored files, with a manifest
naming the audit chain's head, in one encrypted archive. Signing keys are rows of the database
(encrypted under ``CONGSO_KEY_ENCRYPTION_KEY``, which is not in the archive), so no key folder is
carried: a restore needs that key in the environment to sign again.

Order makes the copy consistent without stopping anything: the database is dumped first (one
snapshot: ``pg_dump``, or SQLite's online backup API), then the files. A file is never changed
after it is stored and only orphans older than a day are deleted, so every file the dump refers
to is still there when the files are copied; files stored after the dump are extra, harmless.

Restore is the reverse, into a stopped platform: decrypt, check every member's SHA-256 against
the manifest, load the database, put the files back, then check that the audit chain is intact
and still ends at (or past) the head the manifest recorded.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

from congso.core import audit

from .crypto import DecryptingReader, EncryptingWriter

FORMAT = 1
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Vietnamese, for the operator."""


@dataclass
class Outcome:
    path: Path
    manifest: dict
    seconds: float


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(alias: str = "default") -> dict[str, str]:
    db = settings.DATABASES[alias]
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _dump_database(target_dir: Path) -> Path:
    vendor = connection.vendor
    if vendor == "sqlite":
        target = target_dir / DATABASE_MEMBER["sqlite"]
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)  # a consistent copy while others keep writing
        copy.close()
        source.close()
        return target
    if vendor == "postgresql":
        target = target_dir / DATABASE_MEMBER["postgresql"]
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(target)],
            env=_pg_env(),
            check=True,
            capture_output=True,
        )
        return target
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")


def _head_of_sqlite(path: Path) -> dict | None:
    """The chain's head inside the copy itself (exactly the dump's)."""
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT id, digest, at FROM core_auditrecord ORDER BY id DESC LIMIT 1")
        found = row.fetchone()
    return {"id": found[0], "digest": found[1], "at": str(found[2])} if found else None


def _trees() -> dict[str, Path]:
    """The folders a backup carries: the stored files (keys are in the database)."""
    return {"media": Path(settings.MEDIA_ROOT)}


def create(output: Path, passphrase: str) -> Outcome:
    """Write an encrypted backup to ``output``."""
    if not passphrase:
        raise BackupError("Chưa có khoá sao lưu (CONGSO_BACKUP_KEY hoặc --key-file).")
    started = time.monotonic()
    head_before = audit.head()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="congso-backup-") as work:
        dump = _dump_database(Path(work))
        if connection.vendor == "sqlite":
            head = _head_of_sqlite(dump)
        else:  # pg_dump's snapshot began after this read: it holds this head, maybe more
            head = head_before and {
                "id": head_before.record_id,
                "digest": head_before.digest,
                "at": head_before.at,
            }
        members = {dump.name: _sha256(dump)}
        trees = _trees()
        files = {
            f"{name}/{path.relative_to(root)}": path
            for name, root in trees.items()
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": connection.vendor, "member": dump.name},
            "audit_head": head,
            "trees": sorted(trees),
            "files": len(files),
            "sha256": members,
        }
        partial = output.with_name(output.name + ".partial")
        with partial.open("wb") as sink:
            writer = EncryptingWriter(sink, passphrase)
            with tarfile.open(fileobj=writer, mode="w|gz") as archive:
                archive.add(dump, arcname=dump.name)
                for name, path in files.items():
                    manifest["sha256"][name] = _sha256(path)
                    archive.add(path, arcname=name)
                body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(body), int(time.time())
                archive.addfile(info, io.BytesIO(body))
            writer.close()
        partial.chmod(0o600)
        partial.rename(output)  # a backup file that exists is a complete one
    return Outcome(output, manifest, time.monotonic() - started)


def _extract(source: Path, passphrase: str, into: Path) -> dict:
    with source.open("rb") as raw, io.BufferedReader(raw) as buffered:
        reader = DecryptingReader(buffered, passphrase)
        with tarfile.open(fileobj=reader, mode="r|gz") as archive:
            archive.extractall(into, filter="data")  # no absolute paths, links or ../
    manifest = json.loads((into / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError("Bản sao lưu có định dạng không hỗ trợ.")
    for name, expected in manifest["sha256"].items():
        member = into / name
        if not member.is_file() or _sha256(member) != expected:
            raise BackupError(f"Tệp {name} trong bản sao lưu bị hỏng hoặc thiếu.")
    return manifest


def _load_database(manifest: dict, work: Path) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là của {vendor}, cơ sở dữ liệu hiện tại là {connection.vendor}."
        )
    dump = work / manifest["database"]["member"]
    connections.close_all()
    if vendor == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        restored = sqlite3.connect(dump)
        current = sqlite3.connect(target)
        with current:
            restored.backup(current)  # page by page into the live file (WAL stays coherent)
        current.close()
        restored.close()
        return
    subprocess.run(
        [
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
            "--single-transaction", "--exit-on-error", "-d", settings.DATABASES["default"]["NAME"],
            str(dump),
        ],
        env=_pg_env(),
        check=True,
        capture_output=True,
    )  # fmt: skip


def _place_trees(manifest: dict, work: Path) -> None:
    targets = _trees()
    for name in manifest["trees"]:
        source, target = work / name, targets.get(name)
        if target is None or not source.exists():  # a tree this version does not restore
            continue
        target.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, target, dirs_exist_ok=True)


def is_empty() -> bool:
    """Nothing to lose: no audit record and no stored file."""
    from django.db.utils import DatabaseError

    try:
        has_records = audit.head() is not None
    except DatabaseError:  # no tables at all
        has_records = False
    media = Path(settings.MEDIA_ROOT)
    has_files = media.exists() and any(p.is_file() for p in media.rglob("*"))
    return not has_records and not has_files


def restore(source: Path, passphrase: str, *, force: bool = False) -> Outcome:
    """Put the platform back as ``source`` holds it; refuses to overwrite data unless ``force``."""
    if not passphrase:
        raise BackupError("Chưa có khoá sao lưu (CONGSO_BACKUP_KEY hoặc --key-file).")
    if not force and not is_empty():
        raise BackupError("Cơ sở dữ liệu hoặc thư mục tệp đang có dữ liệu; dùng --force để ghi đè.")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="congso-restore-") as work:
        manifest = _extract(source, passphrase, Path(work))
        _load_database(manifest, Path(work))
        _place_trees(manifest, Path(work))
    cache.clear()  # pages, answers and counters kept for the data the restore replaced
    return Outcome(source, manifest, time.monotonic() - started)


def check_restored(manifest: dict) -> list[str]:
    """What is wrong with the restored platform (empty: the chain is intact and reaches the
    head the manifest recorded)."""
    problems = [f"#{b.record_id}: {b.reason}" for b in audit.verify()]
    head = manifest.get("audit_head")
    if head:
        found = audit.records().filter(id=head["id"]).values_list("digest", flat=True).first()
        if found != head["digest"]:
            problems.append(f"#{head['id']}: đầu chuỗi nhật ký khác với bản kê của bản sao lưu")
    return problems
