"""One way to send an outbox to an outside system: the exchange axis, the national portal.

A message is a row queued in the transaction that made it (state ``pending``); ``drain`` sends
what is due, oldest first. Each row is *leased* before it is sent (``next_attempt_at`` moved past
the lease) so two workers never send it together, and a worker killed mid-send leaves it due again
when the lease ends: at least once, never dropped. A failure is retried with exponential back-off
until the attempts allowed run out, then the row is marked failed for an administrator to see.

The row's model has ``state`` (with ``pending``/``sent``/``failed``), ``attempts``,
``next_attempt_at`` and ``last_error``; what "sent" records beyond that is the caller's
(``sent(row, answer)``).
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

PENDING, SENT, FAILED = "pending", "sent", "failed"
LEASE = dt.timedelta(minutes=5)


def backoff(attempts: int, *, base: float = 60, cap: float = 3600) -> dt.timedelta:
    """``base``, 2×``base``, 4×``base`` … seconds after the ``attempts``-th failure, at most
    ``cap``: long enough to ride out a restart of the other side without hammering it."""
    return dt.timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def _claim(due: QuerySet, order: tuple[str, ...], now: dt.datetime):
    with transaction.atomic():
        row = (
            due.select_for_update(skip_locked=True)
            .filter(state=PENDING)
            .exclude(next_attempt_at__gt=now)
            .order_by(*order)
            .first()
        )
        if row is not None:
            row.next_attempt_at = now + LEASE
            row.save(update_fields=["next_attempt_at"])
        return row


def drain(
    due: QuerySet,
    *,
    order: tuple[str, ...],
    send: Callable[[Any], Any],
    error: type[Exception],
    max_attempts: int,
    now: dt.datetime,
    limit: int,
    sent: Callable[[Any, Any], None] = lambda row, answer: None,
) -> dict[str, int]:
    """Send up to ``limit`` due rows of ``due`` with ``send(row)``; ``error`` is the failure the
    other side can answer with (anything else is a bug and propagates, the lease keeps the row).
    Counts of ``sent``, ``retry`` and ``failed``."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for _ in range(limit):
        row = _claim(due, order, now)
        if row is None:
            break
        row.attempts += 1
        try:
            answer = send(row)
        except error as exc:
            row.last_error = str(exc)[:500]
            failed = row.attempts >= max_attempts
            row.state = FAILED if failed else PENDING
            row.next_attempt_at = None if failed else now + backoff(row.attempts)
            counts["failed" if failed else "retry"] += 1
            row.save()
            continue
        row.state, row.last_error, row.next_attempt_at = SENT, "", None
        # The row's record and what its sending means (``sent``: an audit record, a stale
        # dashboard day) commit together: nobody sees the one without the other.
        with transaction.atomic():
            sent(row, answer)
            row.save()
        counts["sent"] += 1
    return counts
