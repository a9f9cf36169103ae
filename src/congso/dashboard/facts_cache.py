"""The sums of the daily facts the dashboard shows, kept in the shared cache until the facts change
(issue 16, item 2: summing a district-year of facts on every view made the overview 12–16× the
empty view).

What is kept is numbers only — each unit's own one-stop flows over the period and the trend's
monthly sums — keyed by what they are computed from: the units (a digest of their ids), the
dates, whether the period is still running (a running period's end-of-day columns are not read
from the facts) and a *generation* token. The facts change only through ``store.refresh``, which
draws a new token at once and again when its transaction commits (a view that summed the facts
while the refresh was not yet committed kept them under the token that the commit retires), so
a refresh of any unit's day shows on the next view. Nothing personal is in a key or a value: the
user's right to see the unit is checked before, the indicators are evaluated after (their
definitions are code), and the units are read afresh on every view (a unit moved or closed
changes the rows and totals drawn from the same kept numbers, or the digest). The dossiers open
now, which a running period reads live, are never kept."""

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from congso.onestop import facts

GENERATION_KEY = "dashboard:facts:generation"
#: The facts' columns in the key: a release that adds one never reads sums kept without it.
SHAPE = hashlib.sha256(",".join(facts.KEYS).encode()).hexdigest()[:8]


def key(kind: str, unit_ids: Sequence[int], *parts) -> str:
    """The key of ``kind`` for these units and ``parts`` (dates, flags): no user in it."""
    digest = hashlib.sha256(",".join(map(str, sorted(unit_ids))).encode()).hexdigest()[:16]
    shown = ":".join(f"{p:%Y%m%d}" if isinstance(p, dt.date) else str(p) for p in parts)
    return f"dashboard:facts:{SHAPE}:{kind}:{digest}:{shown}"


def _generation_now() -> str:
    cache.add(GENERATION_KEY, uuid4().hex, None)
    return cache.get(GENERATION_KEY) or uuid4().hex  # cache out of reach: never a hit


def kept(computes: dict[str, Callable[[], object]]) -> dict[str, object]:
    """Each key's value as kept under the current generation, else ``computes[key]()``, kept: the
    generation and every value in one round trip (no query on a hit). The generation is read
    before computing, so a refresh committed meanwhile retires what was computed. Kept at most
    ``DASHBOARD_CACHE_SECONDS``: the bound on staleness should a retirement be lost (``ops.cache``
    drops writes while Redis is out of reach; a miss then simply computes)."""
    found = cache.get_many([GENERATION_KEY, *computes])
    generation = found.get(GENERATION_KEY)
    values, missed = {}, {}
    for name, compute in computes.items():
        hit = found.get(name)
        if hit is not None and generation is not None and hit["generation"] == generation:
            values[name] = hit["value"]
            continue
        generation = generation or _generation_now()
        values[name] = compute()
        missed[name] = {"generation": generation, "value": values[name]}
    if missed:
        cache.set_many(missed, settings.DASHBOARD_CACHE_SECONDS)
    return values


def invalidate() -> None:
    """Retire every kept sum."""
    cache.set(GENERATION_KEY, uuid4().hex, None)


def changed() -> None:
    """The facts were written: retire the kept sums now and again when the transaction commits."""
    invalidate()
    transaction.on_commit(invalidate)
