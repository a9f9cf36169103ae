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
from collections.abc import Sequence

from django.conf import settings

from congso.core.generations import Generation
from congso.onestop import facts

GENERATION_KEY = "dashboard:facts:generation"
#: The facts' columns in the key: a release that adds one never reads sums kept without it.
SHAPE = hashlib.sha256(",".join(facts.KEYS).encode()).hexdigest()[:8]


def key(kind: str, unit_ids: Sequence[int], *parts) -> str:
    """The key of ``kind`` for these units and ``parts`` (dates, flags): no user in it."""
    digest = hashlib.sha256(",".join(map(str, sorted(unit_ids))).encode()).hexdigest()[:16]
    shown = ":".join(f"{p:%Y%m%d}" if isinstance(p, dt.date) else str(p) for p in parts)
    return f"dashboard:facts:{SHAPE}:{kind}:{digest}:{shown}"


#: Kept at most ``DASHBOARD_CACHE_SECONDS``; ``store.refresh`` calls ``changed`` when it writes.
_SUMS = Generation(GENERATION_KEY, settings.DASHBOARD_CACHE_SECONDS)
kept = _SUMS.kept
invalidate = _SUMS.invalidate
changed = _SUMS.changed
