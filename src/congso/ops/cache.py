"""Redis as the shared cache of every node — and a Redis restart costs a slower request, not a
500 (issue 19, item 2c). While Redis cannot be reached, a read misses, a write is dropped, and
the guards that count or claim (rate limits, one-time codes) fail closed: ``add`` answers "already
there" (a one-time code is refused, to be typed again in a moment) and ``incr`` answers a count
past any limit (the request is refused with 429). Each outage is logged once per call.

Issue 16 (throughput): each cache object keeps one Redis client per connection pool instead of
building one per call, and a rate limit counts in one atomic round trip (``count_in_window``, a
Lua script) instead of ``add`` then ``exists`` and ``incr`` — three round trips, and a window that
could expire between them."""

import functools
import logging
import os
import sys
import threading

from django.core.cache.backends import redis as django_redis
from redis.commands.core import Script
from redis.exceptions import BusyLoadingError, ReadOnlyError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
#: A Redis out of reach, still loading its data, or a replica after a failover (read-only).
OUTAGE = (RedisConnectionError, RedisTimeoutError, BusyLoadingError, ReadOnlyError)
#: What ``incr`` answers while the counters are out of reach: above every limit.
PAST_ANY_LIMIT = sys.maxsize


def _survives(fallback):
    """Call the method; during an outage return ``fallback(args, kwargs)`` instead."""

    def wrap(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except OUTAGE as error:
                logger.warning("cache unreachable (%s): %s", method.__name__, error)
                return fallback(args, kwargs)

        return guarded

    return wrap


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


#: Count one more in each key's window: INCR, and the window's expiry set whenever the key has none,
#: atomically (the first count opens the window; a key left without an expiry gets one).
_COUNT = Script(
    None,
    b"local counts = {} "
    b"for i, key in ipairs(KEYS) do "
    b"  counts[i] = redis.call('INCR', key) "
    b"  if redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, ARGV[1]) end "
    b"end "
    b"return counts",
)


class _Client(django_redis.RedisCacheClient):
    """Django's client builds a ``redis.Redis`` around the pool at every call: keep one per pool
    and thread instead, holding its own connection (``single_connection_client``), so a command
    neither takes a connection from the pool nor probes it (a ``poll`` per command: a twentieth
    of the public lookup's CPU, issue 16). Django already makes a cache object per thread; the
    clients are kept per thread all the same, should one object serve several. A forked child (a
    Celery worker) sees another process id and makes its own: the connections are its parent's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._threads = threading.local()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        held = self._threads
        if getattr(held, "pid", None) != os.getpid():
            held.pid, held.clients = os.getpid(), {}
        client = held.clients.get(id(pool))
        if client is None:
            client = held.clients[id(pool)] = self._client(
                connection_pool=pool, single_connection_client=True
            )
        return client


Base = django_redis.RedisCache


class RedisCache(Base):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client

    @_survives(lambda args, kwargs: [PAST_ANY_LIMIT] * len(args[0]))
    def count_in_window(self, keys: list[str], window: int) -> list[int]:
        """Count one more under each key and return the counts of their current windows of
        ``window`` seconds (the first count opens one), in one round trip (a request's address
        and account together); fails closed during an outage."""
        keys = [self.make_and_validate_key(key) for key in keys]
        client = self._cache.get_client(keys[0], write=True)
        return [int(n) for n in _COUNT(keys=keys, args=[window], client=client)]

    get = _survives(_default)(Base.get)
    get_many = _survives(lambda args, kwargs: {})(Base.get_many)
    has_key = _survives(lambda args, kwargs: False)(Base.has_key)
    set = _survives(lambda args, kwargs: None)(Base.set)
    set_many = _survives(lambda args, kwargs: list(args[0]))(Base.set_many)  # keys not stored
    touch = _survives(lambda args, kwargs: False)(Base.touch)
    delete = _survives(lambda args, kwargs: False)(Base.delete)
    delete_many = _survives(lambda args, kwargs: None)(Base.delete_many)
    add = _survives(lambda args, kwargs: False)(Base.add)  # fail closed: "already claimed"
    incr = _survives(lambda args, kwargs: PAST_ANY_LIMIT)(Base.incr)  # fail closed: limited
