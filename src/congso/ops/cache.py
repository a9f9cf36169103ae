"""Redis as the shared cache of every node — and a Redis restart costs a slower request, not a
500 (issue 19, item 2c). While Redis cannot be reached, a read misses, a write is dropped, and
the guards that count or claim (rate limits, one-time codes) fail closed: ``add`` answers "already
there" (a one-time code is refused, to be typed again in a moment) and ``incr`` answers a count
past any limit (the request is refused with 429). Each outage is logged once per call."""

import functools
import logging
import sys

from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
OUTAGE = (RedisConnectionError, RedisTimeoutError)
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


Base = django_redis.RedisCache


class RedisCache(Base):
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
