"""Queries the ORM builds and compiles once per process, then runs with new values.

Building a queryset and compiling its SQL costs the same on every request, whatever the rows:
for the small reads of a page about one dossier (its steps, hand-overs, history, documents) that
was about half of the request's CPU (issue 16, ``bench/profile_pages.py``). A ``PreparedQuery``
builds its queryset once with markers where the values go, compiles it once per database alias,
and afterwards only puts the request's values in place of the markers' parameters; the rows are
still read and converted by Django's own iterables (model instances, their ``select_related``
objects, values' dicts), so the answer is the one the queryset would give.

A query that reads by a key (``by_key``: equality on an indexed key, one plan whatever the value)
runs on PostgreSQL as a statement prepared on its connection: parsed and planned once per
connection instead of on every request, most of such a query's time on the server (issue 16: the
detail answer waited 4.9-5.7 ms for PostgreSQL, 1.8-3.0 ms prepared). No other query is
prepared: a prepared statement may fall back on a generic plan, and a queue's best plan depends
on its values (at 10M the overdue queue's generic plan ran 28 s against 0.3 ms planned for its
units and time, ``bench/explain_pages.py``).

Only values that reach the SQL's parameters whole can be markers: an integer or a text compared
for equality (a key, a dossier's code), a day, an instant, and a list of keys compared with
``field__any`` (``core.lookups``: one parameter, whatever its length) — not a pattern
(``startswith``) nor a list given to ``__in``, whose length shapes the SQL. A marker the SQL
carries changed (inside a pattern, a day moved by Python before the query) is refused when the
query is first compiled; one it does not carry at all is a value the rows do not depend on (a
queue that ignores the clock).
"""

import datetime as dt
from collections.abc import Callable
from contextlib import contextmanager, nullcontext

from django.db import connections
from django.db.models import QuerySet

from .lookups import ids_param

#: The kinds of value a marker can stand for.
KINDS = (int, str, list, dt.date, dt.datetime)


def _marker(kind: type, position: int):
    """A value of ``kind`` no row holds, standing for the value at ``position`` until the SQL is
    compiled."""
    if kind is int:
        return -7_310_000_000_001 - position
    if kind is str:
        return f"⟨prepared {position}⟩"
    if kind is list:
        return [_marker(int, position)]
    if kind is dt.date:
        return dt.date(1, 1, 1) + dt.timedelta(days=position + 1)
    if kind is dt.datetime:
        return dt.datetime(1, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=position + 1)
    raise TypeError(f"no marker for {kind.__name__}")


def _marked(param) -> bool:
    """Does ``param`` come from a marker, as it is or changed on its way (a text pattern, a day
    or an instant moved, a key plus one)? Markers lie where no value does: keys below minus seven
    trillion, days and instants of the year 1 (SQLite is sent their text)."""
    if isinstance(param, list):
        return any(_marked(item) for item in param)
    if isinstance(param, bool):
        return False
    if isinstance(param, int):
        return -7_310_000_100_000 < param <= -7_310_000_000_000
    if isinstance(param, dt.date):
        return param.year == 1
    if isinstance(param, str):
        return "⟨prepared" in param or param.startswith(("0001-", "[-7310000"))
    return False


def _param(kind: type, connection, value):
    """``value`` as the SQL's parameters carry it on ``connection``."""
    if kind is list:
        return ids_param(connection, value)
    if kind is dt.date:
        return connection.ops.adapt_datefield_value(value)
    if kind is dt.datetime:
        return connection.ops.adapt_datetimefield_value(value)
    return value


class PreparedQuery:
    """``build(*markers)`` returns the queryset; ``rows(*values)`` its rows for ``values``, whose
    types ``kinds`` gives (one integer by default); ``by_key``: run as a prepared statement."""

    def __init__(
        self, build: Callable[..., QuerySet], kinds: tuple[type, ...] = (int,), *, by_key=False
    ):
        self._build = build
        self._kinds = kinds
        self._by_key = by_key
        self._markers = [_marker(kind, position) for position, kind in enumerate(kinds)]
        self._compiled: dict[str, tuple] = {}
        self._built: QuerySet | None = None

    def _queryset(self) -> QuerySet:
        """The queryset with the markers, built once."""
        if self._built is None:
            self._built = self._build(*self._markers)
        return self._built

    def _alias(self) -> str:
        """The database the queryset would read from on this request: the routers decide, as
        for any read (the dashboard and the reports read from a fresh replica, ``ops.router``)."""
        return self._queryset().db

    def _compile(self, using: str) -> tuple:
        connection = connections[using]
        queryset = self._queryset().using(using)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        carried = [
            _param(k, connection, m) for k, m in zip(self._kinds, self._markers, strict=True)
        ]
        slots = [[index for index, param in enumerate(params) if param == m] for m in carried]
        if any(_marked(param) and param not in carried for param in params):
            raise ValueError(f"{sql!r}: a marker reached the SQL changed (a pattern, a sum)")
        compiled = self._compiled[using] = (queryset, compiler, sql, list(params), slots)
        return compiled

    def _bound(self, values, using: str) -> tuple[QuerySet, str, tuple]:
        """The compiled queryset, its SQL and its parameters with ``values`` in place."""
        queryset, template, sql, params, slots = self._compiled.get(using) or self._compile(using)
        connection = connections[using]
        params = list(params)
        for kind, value, indexes in zip(self._kinds, values, slots, strict=True):
            for index in indexes:
                params[index] = _param(kind, connection, value)
        return queryset, template, sql, tuple(params)

    def count(self, *values, using: str | None = None) -> int:
        """How many rows the queryset holds for ``values`` (a sliced one: at most its slice's)."""
        using = using or self._alias()
        _queryset, _template, sql, params = self._bound(values, using)
        with self._statement(using), connections[using].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) prepared", params)  # noqa: S608
            return cursor.fetchone()[0]

    def rows(self, *values, using: str | None = None) -> list:
        """The queryset's rows with ``values`` in place of the markers, in one query."""
        using = using or self._alias()
        queryset, template, sql, params = self._bound(values, using)
        compiler = _shallow(template)
        compiler.connection = connections[using]  # this thread's connection, not the compiler's
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        query = _shallow(queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        bound = _shallow(queryset)
        bound._query = query
        with self._statement(using):
            return list(bound._iterable_class(bound))

    def _statement(self, using: str):
        return prepared_statement(connections[using]) if self._by_key else nullcontext()


@contextmanager
def prepared_statement(connection):
    """Queries run inside as statements prepared on ``connection``: psycopg prepares each on its
    first run and runs the prepared one after (its ``prepare_threshold``, 0 for the while; unset,
    as Django leaves it, it prepares nothing). Only with the values sent apart from the SQL
    (``server_side_binding``, ``CONGSO_DB_PREPARED_STATEMENTS``); elsewhere a no-op."""
    if not getattr(connection.features, "uses_server_side_binding", False):
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before, raw.prepare_threshold = raw.prepare_threshold, 0
    try:
        yield
    finally:
        raw.prepare_threshold = before


def _shallow(thing):
    """A copy sharing ``thing``'s attributes (``copy.copy`` of a queryset would run it: its
    pickling state is its rows)."""
    copied = object.__new__(type(thing))
    copied.__dict__.update(thing.__dict__)
    return copied
