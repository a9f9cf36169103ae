"""Values kept in the shared cache until what they are computed from changes: each family of
values (procedure pages, the dashboard's sums) has a *generation* token, and a value is served
only while the token it was computed under is still the current one. A change draws a new token
at once and again when its transaction commits (a value computed while the change was not yet
committed kept the token of that moment, which the commit retires), so it shows at once on every
node and the old values simply expire. Values also expire after ``seconds``: the bound on
staleness should a retirement be lost (``ops.cache`` drops writes while Redis is out of reach;
a miss then simply computes)."""

from collections.abc import Callable
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction


class Generation:
    def __init__(self, key: str, seconds: int):
        self.key = key
        self.seconds = seconds

    def _now(self) -> str:
        cache.add(self.key, uuid4().hex, None)
        return cache.get(self.key) or uuid4().hex  # cache out of reach: never a hit

    def kept(self, computes: dict[str, Callable[[], object]]) -> dict[str, object]:
        """Each key's value as kept under the current generation, else ``computes[key]()``,
        kept: the generation and every value in one round trip (nothing computed on a hit).
        The generation is read *before* computing, so a change committed meanwhile retires
        what was computed."""
        found = cache.get_many([self.key, *computes])
        generation = found.get(self.key)
        values, missed = {}, {}
        for name, compute in computes.items():
            hit = found.get(name)
            if hit is not None and generation is not None and hit["generation"] == generation:
                values[name] = hit["value"]
                continue
            generation = generation or self._now()
            values[name] = compute()
            missed[name] = {"generation": generation, "value": values[name]}
        if missed:
            cache.set_many(missed, self.seconds)
        return values

    def invalidate(self) -> None:
        """Retire every value of this family."""
        cache.set(self.key, uuid4().hex, None)

    def changed(self, **_signal) -> None:
        """What the values are computed from changed (usable as a signal receiver): retire them
        now and again when the transaction commits."""
        self.invalidate()
        transaction.on_commit(self.invalidate)
