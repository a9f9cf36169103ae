"""The official's inbox ("Việc của tôi"): everything waiting for them, from every app.

The items come from the providers each app registers with ``core.awaiting``; this app only merges,
sorts and counts them. The count in the page header is cached briefly per official
(``core.headcount``), so that an ordinary page does not ask every app; opening the inbox recounts
and refreshes it.
"""

from django.utils import timezone

from congso.core import awaiting, headcount

PAGE_SIZE = 50
COUNT = "inbox"


def items_for(user, *, limit: int = PAGE_SIZE):
    """(how many items wait for ``user``, the ``limit`` most pressing), and refresh the count."""
    total, items = awaiting.awaiting(user, limit=limit, now=timezone.now())
    headcount.remember(COUNT, user, total)
    return total, items


def header_count(user) -> int:
    """What the header shows: the cached count, recounted when it has expired."""
    return headcount.cached(COUNT, user, lambda: awaiting.count(user))
