"""Queries the ORM builds and compiles once per process, then runs with new values.

Building a queryset and compiling its SQL costs the same on every request, whatever the rows:
for the small reads of a page about one dossier (its steps, hand-overs, history, documents) that
was about half of the request's CPU (issue 16, ``bench/profile_pages.py``). A ``PreparedQuery``
builds its queryset once with markers where the values go, compiles it once per database alias,
and afterwards only puts the request's values in place of the markers' parameters; the rows are
still read and converted by Django's own iterables (model instances, their ``select_related``
objects, values' dicts), so the answer is the one the queryset would give.

Only values that reach the SQL's parameters as they are can be markers: an integer or a text
compared for equality (a key, a dossier's code), not a pattern (``startswith``), a date (SQLite
is sent its text) nor a list whose length shapes the SQL. A marker the SQL does not carry is
refused when the query is first compiled.
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet


def _marker(kind: type, position: int):
    """A value of ``kind`` no row holds, standing for the value at ``position`` until the SQL is
    compiled."""
    if kind is int:
        return -7_310_000_000_001 - position
    if kind is str:
        return f"⟨prepared {position}⟩"
    raise TypeError(f"no marker for {kind.__name__}")


class PreparedQuery:
    """``build(*markers)`` returns the queryset; ``rows(*values)`` its rows for ``values``, whose
    types ``kinds`` gives (one integer by default)."""

    def __init__(self, build: Callable[..., QuerySet], kinds: tuple[type, ...] = (int,)):
        self._build = build
        self._markers = [_marker(kind, position) for position, kind in enumerate(kinds)]
        self._compiled: dict[str, tuple] = {}

    def _compile(self, using: str) -> tuple:
        markers = self._markers
        queryset = self._build(*markers).using(using)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = [
            [index for index, param in enumerate(params) if param == marker] for marker in markers
        ]
        if not all(slots):
            raise ValueError(f"{sql!r}: a marker is not a parameter of the SQL")
        compiled = self._compiled[using] = (queryset, compiler, sql, list(params), slots)
        return compiled

    def rows(self, *values, using: str = DEFAULT_DB_ALIAS) -> list:
        """The queryset's rows with ``values`` in place of the markers, in one query."""
        queryset, template, sql, params, slots = self._compiled.get(using) or self._compile(using)
        params = list(params)
        for value, indexes in zip(values, slots, strict=True):
            for index in indexes:
                params[index] = value
        compiler = _shallow(template)
        compiler.connection = connections[using]  # this thread's connection, not the compiler's
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        query = _shallow(queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        bound = _shallow(queryset)
        bound._query = query
        return list(bound._iterable_class(bound))


def _shallow(thing):
    """A copy sharing ``thing``'s attributes (``copy.copy`` of a queryset would run it: its
    pickling state is its rows)."""
    copied = object.__new__(type(thing))
    copied.__dict__.update(thing.__dict__)
    return copied
