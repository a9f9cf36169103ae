"""The figures each area publishes for the digital-transformation dashboard.

The dashboard never reads another app's tables: each app registers a *provider* in its
``AppConfig.ready`` with ``provide(source, fn)``. A provider answers for a set of units and a
period with a mapping of figure keys to numbers. A source nobody registered, or a provider that
returns ``None``, is "not available" on the dashboard — never zero.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

Number = int | Decimal
#: ``fn(unit_ids, start, end) -> {key: number}``: the units are the selected unit and its
#: subtree (ids); ``start`` and ``end`` are inclusive dates in Vietnam time.
Provider = Callable[[Sequence[int], dt.date, dt.date], Mapping[str, Number] | None]

_providers: dict[str, Provider] = {}


def provide(source: str, fn: Provider) -> None:
    """Register the provider of ``source`` (one per source; a second registration replaces it,
    which keeps Django's autoreloader harmless)."""
    _providers[source] = fn


def sources() -> list[str]:
    return sorted(_providers)


def figures(
    source: str, unit_ids: Sequence[int], start: dt.date, end: dt.date
) -> Mapping[str, Number] | None:
    """The figures of ``source`` for the units and period, or ``None`` when not available."""
    provider = _providers.get(source)
    if provider is None:
        return None
    return provider(list(unit_ids), start, end)
