"""The official's inbox ("Việc của tôi"): everything waiting for them, from every app.

The items come from the providers each app registers with ``core.awaiting``; this app only merges,
sorts and counts them. The count in the page header is cached briefly per official, so that an
ordinary page does not ask every app; opening the inbox recounts and refreshes it.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from congso.core import awaiting

PAGE_SIZE = 50


def _key(user) -> str:
    return f"inbox:count:{user.pk}"


def items_for(user, *, limit: int = PAGE_SIZE):
    """(how many items wait for ``user``, the ``limit`` most pressing), and refresh the count."""
    total, items = awaiting.awaiting(user, limit=limit, now=timezone.now())
    cache.set(_key(user), total, settings.INBOX_COUNT_SECONDS)
    return total, items


def header_count(user) -> int:
    """What the header shows: the cached count, recounted when it has expired."""
    total = cache.get(_key(user))
    if total is None:
        total = awaiting.count(user)
        cache.set(_key(user), total, settings.INBOX_COUNT_SECONDS)
    return total
