"""A fixed-window counter in the cache: enough to stop guessing codes and flooding OTPs."""

from django.core.cache import cache


def allow(key: str, limit: int, window: int) -> bool:
    """Count one attempt for ``key``; False once more than ``limit`` came in ``window`` seconds."""
    full = f"portal:rl:{key}"
    if cache.add(full, 1, window):
        return True
    try:
        count = cache.incr(full)
    except ValueError:
        cache.set(full, 1, window)
        return True
    return count <= limit
