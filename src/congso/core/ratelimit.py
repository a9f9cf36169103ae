"""A fixed-window counter in the cache: enough to stop guessing codes, flooding OTPs and spending
the server's CPU on public pages (signature checks, searches). The one rate-limit mechanism of
the platform: pages call ``allow_request``, API views use ``throttle``, services ``allow``."""

from collections.abc import Callable

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from congso.core.middleware import client_ip as _peer

#: Seconds per unit of a rate written like Django REST framework's ``"30/min"``.
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _counts(keys: list[str], window: int) -> list[int]:
    """Count one attempt under each key; the counts of their current windows."""
    count_in_window = getattr(cache, "count_in_window", None)
    if count_in_window is not None:  # Redis (``ops.cache``): one atomic round trip for all
        return count_in_window(keys, window)
    return [_count(key, window) for key in keys]  # the database cache of development and tests


def _count(key: str, window: int) -> int:
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between the two
        cache.set(key, 1, window)
        return 1


def allow(key: str, limit: int, window: int) -> bool:
    """Count one attempt for ``key``; False once more than ``limit`` came in ``window`` seconds."""
    return _counts([f"rl:{key}"], window)[0] <= limit


def client_ip(request) -> str:
    """The client's address as the platform sees it (proxy-aware in ``core.middleware``)."""
    return _peer(request) or "unknown"


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/min"`` → ``(30, 60)``: attempts allowed and the window in seconds."""
    count, _slash, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[:1].lower()]


def allow_request(request, scope: str, rate: str) -> bool:
    """Count one request against ``rate`` for the client's address and, when signed in, for the
    account too: a spoofed header does not give a new address, a new address not a new account."""
    limit, window = parse_rate(rate)
    keys = [f"rl:{scope}:ip:{client_ip(request)}"]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.append(f"rl:{scope}:user:{user.pk}")
    return all(count <= limit for count in _counts(keys, window))


def throttle(scope: str, rate: Callable[[], str]) -> type[BaseThrottle]:
    """``allow_request`` as a throttle class for API views, counting with the page of the same
    ``scope``; ``rate`` (a setting) is read at each request."""

    class Throttle(BaseThrottle):
        def allow_request(self, request, view) -> bool:
            return allow_request(request, scope, rate())

        def wait(self):
            return parse_rate(rate())[1]

    Throttle.__name__ = Throttle.__qualname__ = f"Throttle_{scope}"
    return Throttle
