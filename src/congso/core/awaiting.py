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

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Urgency(models.IntegerChoices):
    """Urgency as Decree 30/2020 grades documents (Appendix I: "Khẩn", "Thượng khẩn", "Hỏa
    tốc"); every item of the inbox carries one, so it is shown and sorted the same everywhere."""

    NORMAL = 0, gettext_lazy("Thường")
    URGENT = 1, gettext_lazy("Khẩn")
    VERY_URGENT = 2, gettext_lazy("Thượng khẩn")
    EXPRESS = 3, gettext_lazy("Hỏa tốc")


NORMAL = Urgency.NORMAL


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
    secrecy: str = ""  # the secrecy grade's label ("Mật"), empty when not secret

    @property
    def urgency_label(self) -> str:
        """ "Khẩn", "Thượng khẩn", "Hỏa tốc"; empty for normal items."""
        return str(Urgency(self.urgency).label) if self.urgency else ""

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


@dataclass(frozen=True)
class Holder:
    """Who holds an item after a step: an official and, when known, the role they act in
    ("lãnh đạo"), so a message can say "Đã trình lãnh đạo Nguyễn Văn A phê duyệt"."""

    user: object
    role: str = ""

    def __str__(self) -> str:
        return f"{self.role} {self.user}".strip()


def names(holders, *, shown: int = 3) -> str:
    """ "lãnh đạo A, phó lãnh đạo B và 2 người khác": the first ``shown`` holders by name."""
    labels = [str(holder) for holder in holders]
    if len(labels) <= shown:
        return ", ".join(labels)
    rest = len(labels) - shown
    return _("%(names)s và %(n)s người khác") % {"names": ", ".join(labels[:shown]), "n": rest}


@dataclass(frozen=True)
class Outcome:
    """What a step did, said to the official who took it: the action, and who holds the item
    next (the same holders the step notified). Services build it; views only show it."""

    message: str
    holders: tuple = ()
    subject: object = None  # the dossier, document … after the step
