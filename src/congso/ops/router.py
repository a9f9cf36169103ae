"""Reports and the dashboard read from the streaming replica while it is fresh enough.

``CONGSO_REPLICA_URL`` adds the ``replica`` database and this router. The middleware marks a
request as a replica reader (a GET under ``CONGSO_REPLICA_PATHS``); everything else, every write,
every read inside a transaction (a service that reads then writes, the audit chain's head) and
the session and account tables (a login just made must be seen) use the primary. The replica's
lag (``now() - pg_last_xact_replay_timestamp()``) is measured at most every few seconds; above
``CONGSO_REPLICA_MAX_LAG_SECONDS``, or unreachable, the primary answers instead.
"""

import contextlib
import contextvars
import logging
import time

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
#: Tables always read from the primary: sessions, accounts and their tokens.
PRIMARY_ONLY_APPS = frozenset({"sessions", "accounts", "authtoken", "auth", "contenttypes"})
LAG_CACHE_SECONDS = 5.0

_wants_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "congso_wants_replica", default=False
)
_lag_cache: dict[str, float | None] = {"at": -1e9, "lag": None}


@contextlib.contextmanager
def reading_from_replica(wanted: bool = True):
    token = _wants_replica.set(wanted)
    try:
        yield
    finally:
        _wants_replica.reset(token)


def measure_lag() -> float | None:
    """Seconds the replica is behind (0 when it has replayed everything it was sent), or None
    when there is no replica or it cannot be reached."""
    if REPLICA not in settings.DATABASES:
        return None
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
            )
            value = cursor.fetchone()[0]
    except Exception:  # noqa: BLE001 - an unreachable replica is just not used
        logger.warning("replica unreachable", exc_info=True)
        return None
    return float(value) if value is not None else None


def replica_lag() -> float | None:
    now = time.monotonic()
    if now - _lag_cache["at"] > LAG_CACHE_SECONDS:
        _lag_cache["lag"] = measure_lag()
        _lag_cache["at"] = now
    return _lag_cache["lag"]


def replica_is_fresh() -> bool:
    lag = replica_lag()
    return lag is not None and lag <= settings.CONGSO_REPLICA_MAX_LAG_SECONDS


def source() -> str:
    """Where a replica reader's queries go now: ``replica`` or ``primary``."""
    return REPLICA if replica_is_fresh() else "primary"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _wants_replica.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        if connections["default"].in_atomic_block:
            return "default"
        return REPLICA if replica_is_fresh() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
