"""Pages of long lists that cost the same however long the list grows.

An exact ``COUNT(*)`` reads every matching row: with ten years of dossiers it is the slowest part
of a page that shows twenty. ``CappedPaginator`` counts at most ``cap + 1`` rows and says "more
than 1,000" beyond; deeper rows are reached by narrowing the filters (or by the API's cursor).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

#: Counts above this are shown as "hơn 1.000" (more than 1,000).
COUNT_CAP = 1000


def capped_count(queryset, cap: int = COUNT_CAP) -> int:
    """How many rows ``queryset`` holds, reading at most ``cap + 1`` of them: a result above
    ``cap`` means "more than ``cap``" (see ``formatting.count``)."""
    return queryset.order_by().values("pk")[: cap + 1].count()


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
