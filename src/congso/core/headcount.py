"""Counts shown in every page's header — the inbox's waiting items, the bell's unread
notifications — and the desk's clock counts, cached per official for
``CONGSO_INBOX_COUNT_SECONDS``, so that an ordinary page costs one cache read instead of a query
to every app. A writer that changes a count may forget
it; otherwise it is recounted when it expires."""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache


def key(name: str, user_id: int) -> str:
    return f"{name}:count:{user_id}"


def cached(name: str, user, compute: Callable[[], int]) -> int:
    """The cached count ``name`` of ``user``, computed by ``compute`` when missing."""
    total = kept(name, user)
    if total is None:
        total = compute()
        remember(name, user, total)
    return total


def kept(name: str, user):
    """The count (or counts) ``name`` of ``user`` as kept, or None."""
    return cache.get(key(name, user.pk))


def remember(name: str, user, total) -> None:
    cache.set(key(name, user.pk), total, settings.INBOX_COUNT_SECONDS)


def forget(name: str, user_id: int) -> None:
    cache.delete(key(name, user_id))
