"""What waits for an official: the contract between the apps and the inbox ("Việc của tôi").

An official's day crosses apps — dossiers to receive, approve or return, documents to sign or
issue, complaints to answer, meeting tasks — and nobody should have to visit each app to learn
what is theirs. Each app registers a *provider* in its ``AppConfig.ready`` with
``provide(source, fn)``; ``fn(user, limit)`` answers with a ``Batch``: how many items wait for
``user`` in that app, and the ``limit`` most pressing of them. The inbox merges the batches and
sorts them with ``pressing`` (late first, then due soonest, then the most urgent). A new app adds
its items by registering a provider; the inbox does not change.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

#: Urgency as Decree 30/2020 grades documents (0 normal, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc).
NORMAL = 0


@dataclass(frozen=True)
class Item:
    """One thing waiting for the official."""

    source: str  # the providing app ("onestop", "documents", …)
    kind: str  # what waits, in Vietnamese ("Chờ phê duyệt")
    title: str  # the dossier's procedure, the document's summary …
    reference: str  # the dossier code, the document's notation …
    url: str
    due_at: dt.datetime | None = None
    urgency: int = NORMAL
    since: dt.datetime | None = None

    def is_late(self, now: dt.datetime) -> bool:
        return self.due_at is not None and self.due_at < now


@dataclass
class Batch:
    count: int = 0
    items: list[Item] = field(default_factory=list)


Provider = Callable[..., Batch]
_providers: dict[str, Provider] = {}


def provide(source: str, fn: Provider) -> None:
    """Register what ``source`` has waiting (a second registration replaces the first)."""
    _providers[source] = fn


def sources() -> list[str]:
    return sorted(_providers)


def pressing(now: dt.datetime):
    """Sort key: late items first, then the soonest due, the most urgent, the oldest."""
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)

    def key(item: Item):
        return (not item.is_late(now), item.due_at or far, -item.urgency, item.since or oldest)

    return key


def awaiting(user, *, limit: int = 50, now: dt.datetime | None = None) -> tuple[int, list[Item]]:
    """(how many items wait for ``user`` in every app, the ``limit`` most pressing)."""
    total, items = 0, []
    for source in sources():
        batch = _providers[source](user, limit)
        total += batch.count
        items.extend(batch.items)
    items.sort(key=pressing(now or timezone.now()))
    return total, items[:limit]


def count(user) -> int:
    """How many items wait for ``user`` (what the header shows)."""
    return sum(_providers[source](user, 0).count for source in sources())
