"""Beat, the scheduler of periodic jobs, is a singleton by lock.

Several worker nodes each started with ``worker -B`` (as the old guide said) ran every scheduled
job once per node. Here any number of beats may be started: the one holding the lock sends the
jobs, the others tick every few seconds trying to take it, and one of them takes over when the
holder dies. The lock lives where every node can see it and dies with its holder:

- PostgreSQL: a session advisory lock on a connection of its own (released by the server when the
  connection or the process ends);
- Redis: a key with a time to live, renewed at each tick by its holder only;
- a file lock (``flock``) under ``var/``, for one machine (SQLite, ``make run``); the kernel
  releases it when the process dies, so no stale lock survives a crash.

The schedule is kept in memory (``celery.beat.Scheduler``), not in a shelve file: a file that a
standby beat opens too would be corrupted, and after a restart the interval jobs simply run again.
"""

import contextlib
import fcntl
import logging
import os
import secrets
import zlib
from pathlib import Path

from celery.beat import Scheduler

logger = logging.getLogger(__name__)

LOCK_NAME = "congso-beat"
#: pg_try_advisory_lock key: a stable number derived from the lock's name.
ADVISORY_KEY = zlib.crc32(LOCK_NAME.encode())
#: A standby retries this often; the holder renews the Redis key at least this often.
RETRY_SECONDS = 5.0
REDIS_TTL_SECONDS = 30


class FileLock:
    kind = "file"

    def __init__(self, path: Path):
        self.path = path
        self.handle = None

    def hold(self) -> bool:
        if self.handle is not None:
            return True
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self.handle = handle
        return True

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


class PostgresLock:
    kind = "postgresql"

    def __init__(self, alias: str = "default"):
        self.alias = alias
        self.connection = None

    def _connect(self):
        from django.db import connections

        connection = connections.create_connection(self.alias)
        connection.ensure_connection()
        return connection

    def _held(self) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND pid = pg_backend_pid() AND objid = %s",
                [ADVISORY_KEY],
            )
            return cursor.fetchone() is not None

    def hold(self) -> bool:
        try:
            if self.connection is not None and self._held():
                return True
            if self.connection is None:
                self.connection = self._connect()
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
                return bool(cursor.fetchone()[0])
        except Exception:  # noqa: BLE001 - the database went away: lock lost, retry later
            logger.warning("beat lock: database unreachable, not sending jobs", exc_info=True)
            self.release()
            return False

    def release(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):  # already gone
                self.connection.close()  # ends the session, and with it the lock
            self.connection = None


RENEW_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class RedisLock:
    kind = "redis"

    def __init__(self, url: str, ttl: int = REDIS_TTL_SECONDS):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5)
        self.ttl_ms = ttl * 1000
        self.token = secrets.token_hex(16)
        self.key = f"{LOCK_NAME}-lock"
        self.held = False

    def hold(self) -> bool:
        try:
            if self.held and self.client.eval(RENEW_SCRIPT, 1, self.key, self.token, self.ttl_ms):
                return True
            self.held = bool(self.client.set(self.key, self.token, nx=True, px=self.ttl_ms))
        except Exception:  # noqa: BLE001 - Redis restarting: not ours until it answers again
            logger.warning("beat lock: Redis unreachable, not sending jobs", exc_info=True)
            self.held = False
        return self.held

    def release(self) -> None:
        with contextlib.suppress(Exception):  # unreachable: the key expires by itself
            self.client.eval(RELEASE_SCRIPT, 1, self.key, self.token)
        self.held = False


def lock_kind() -> str:
    """The lock this deployment's beats share (``CONGSO_BEAT_LOCK``, ``auto`` resolved)."""
    from django.conf import settings

    if settings.CONGSO_BEAT_LOCK != "auto":
        return settings.CONGSO_BEAT_LOCK
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return "postgresql"
    if redis_url():
        return "redis"
    return "file"


def redis_url() -> str:
    from django.conf import settings

    if settings.CONGSO_BEAT_LOCK_URL:
        return settings.CONGSO_BEAT_LOCK_URL
    broker = settings.CELERY_BROKER_URL
    return broker if broker.startswith(("redis://", "rediss://")) else ""


def make_lock():
    from django.conf import settings

    kind = lock_kind()
    if kind == "postgresql":
        return PostgresLock()
    if kind == "redis":
        return RedisLock(redis_url())
    return FileLock(Path(settings.VAR_DIR) / "beat.lock")


class SingletonScheduler(Scheduler):
    """Sends the jobs only while it holds the beat lock."""

    def __init__(self, *args, lock=None, **kwargs):
        self.lock = lock or make_lock()
        self.holding: bool | None = None  # unknown: the first tick says which it is
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        holding = self.lock.hold()
        if holding != self.holding:
            logger.warning(
                "beat: %s (%s lock)",
                "holding the lock, sending jobs" if holding else "another beat holds the lock",
                self.lock.kind,
            )
            self.holding = holding
        if not holding:
            return RETRY_SECONDS
        return min(super().tick(*args, **kwargs), RETRY_SECONDS)

    def close(self):
        super().close()
        self.lock.release()
