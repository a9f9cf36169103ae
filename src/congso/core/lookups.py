"""``field__any=ids``: a list of keys as one parameter, so the SQL does not change with its length.

``field__in=ids`` writes one placeholder per key (and refuses an empty list before the query is
sent), so every official's unit list gives a query of its own shape: it cannot be compiled once
and reused (``core.prepared``). ``any`` sends the list as one value — an array on PostgreSQL
(``= ANY(%s)``, the same index scan the planner makes of an ``IN`` list), a JSON text read by
``json_each`` on SQLite — and an empty list matches nothing.
"""

import json

from django.db.models import Field, ForeignObject, Lookup


def ids_param(connection, ids) -> list[int] | str:
    """The parameter ``any`` sends for ``ids`` on ``connection``."""
    ids = [int(value) for value in ids]
    return ids if connection.vendor == "postgresql" else json.dumps(ids)


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [ids_param(connection, value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
        sql = f"{lhs} IN (SELECT value FROM json_each({rhs}))"  # noqa: S608 — compiled parts
        return sql, [*lhs_params, *rhs_params]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # a relation's own lookups stop at ForeignObject
