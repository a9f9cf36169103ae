"""Pages of long lists that cost the same however long the list grows.

An exact ``COUNT(*)`` reads every matching row: with ten years of dossiers it is the slowest part
of a page that shows twenty. ``CappedPaginator`` counts at most ``cap + 1`` rows and says "more
than 1,000" beyond; deeper rows are reached by narrowing the filters (or by the API's cursor).
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

#: Counts above this are shown as "hơn 1.000" (more than 1,000).
COUNT_CAP = 1000


def capped_count(queryset, cap: int = COUNT_CAP) -> int:
    """How many rows ``queryset`` holds, reading at most ``cap + 1`` of them: a result above
    ``cap`` means "more than ``cap``" (see ``formatting.count``). A list that counts itself (a
    prepared one: ``capped_count(cap)``) is asked."""
    if hasattr(queryset, "capped_count"):
        return queryset.capped_count(cap)
    return queryset.order_by().values("pk")[: cap + 1].count()


def capped_counts(querysets: list, cap: int = COUNT_CAP) -> list[int]:
    """``capped_count`` of each queryset, in one round trip: one ``SELECT`` of a counted
    sub-select per queryset, each reading at most ``cap + 1`` rows (the desk page's three live
    queue counts were three queries, issue 16). The querysets share one database."""
    selects, params = [], []
    for number, queryset in enumerate(querysets):
        rows = queryset.order_by().values("pk")[: cap + 1]
        try:
            sql, values = rows.query.get_compiler(rows.db).as_sql()
        except EmptyResultSet:  # a condition that can hold for no row: nothing to count
            selects.append("0")
            continue
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{number})")  # noqa: S608 — ORM SQL
        params.extend(values)
    if not querysets:
        return []
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)
        return list(cursor.fetchone())


class CappedPaginator(Paginator):
    """A ``Paginator`` whose count stops at ``cap + 1`` rows (pages beyond are not offered)."""

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, list):
            return len(self.object_list)
        return capped_count(self.object_list, self.cap)

    @property
    def capped(self) -> bool:
        """True when there are more rows than the count says."""
        return self.count > self.cap
