"""The dossier list API's rows as its callers most often ask for them — no filter, newest first,
a page by number or after a cursor — compiled once per process (``core.prepared``) for every
caller: the units one may see are a value of the SQL (``services.visible_to``), not its shape, so
the queryset is neither built nor compiled on each request (issue 16). A filtered list is built as
any queryset (``api.filter_dossiers``)."""

import datetime as dt

from django.db.models import Q

from congso.core.prepared import PreparedQuery

from . import services
from .models import DossierAccess
from .serializers import SUMMARY_FIELDS


def listed(dossiers):
    """``dossiers`` with the columns of the list's rows (``serializers.dossier_summary``) only."""
    return dossiers.select_related("procedure", "receiving_unit", "current_unit").only(
        *SUMMARY_FIELDS
    )


class PreparedList:
    """``user``'s dossiers newest first by ``(filed_at, id)``, as ``KeysetPagination`` reads a
    list: its capped count, and a page from an offset or after a cursor's ``(filed_at, id)``.
    The same rows as ``listed(visible_dossiers(user))`` in that order (``test_prepared_list``)."""

    def __init__(self, user):
        self.sees = services.sight(user)
        self.values = (services.view_unit_ids(user), user.pk)

    def capped_count(self, cap: int) -> int:
        """One unit's dossiers are its access rows, one each (``onestop_access_once``): counted
        from the access index alone — a commune officer's list, the most common — instead of
        merged with the dossiers' keys (7–12 ms of PostgreSQL at 10M dossiers, the list API's
        heaviest query)."""
        views, _user_id = self.values
        if self.sees == "units" and len(views) == 1:
            return _unit_count(cap + 1).count(views)
        return _prepared(self.sees, "count", 0, cap + 1).count(*self.values)

    def keyset_page(self, after: tuple | None, start: int, stop: int) -> list:
        if after is None:
            return _prepared(self.sees, "offset", start, stop).rows(*self.values)
        return _prepared(self.sees, "after", 0, stop - start).rows(*self.values, *after)


#: The list's prepared queries by (visibility, read, slice): at most 3 × 3 × the pages offered.
_PREPARED: dict[tuple, PreparedQuery] = {}


def _prepared(sees: str, read: str, start: int, stop: int) -> PreparedQuery:
    shape = (sees, read, start, stop)
    if shape not in _PREPARED:

        def build(views, user_id, at=None, pk=None):
            dossiers = services.seen_as(sees, views, user_id)
            if read == "count":
                return dossiers.order_by().values("pk")[start:stop]
            if read == "after":
                dossiers = dossiers.filter(Q(filed_at__lt=at) | Q(filed_at=at, id__lt=pk))
            return listed(dossiers).order_by("-filed_at", "-id")[start:stop]

        kinds = (list, int, dt.datetime, int) if read == "after" else (list, int)
        _PREPARED[shape] = PreparedQuery(build, kinds=kinds)
    return _PREPARED[shape]


#: One unit's capped counts by cap: its access rows, read from the index on (unit, dossier).
_UNIT_COUNTS: dict[int, PreparedQuery] = {}


def _unit_count(stop: int) -> PreparedQuery:
    if stop not in _UNIT_COUNTS:
        _UNIT_COUNTS[stop] = PreparedQuery(
            lambda views: DossierAccess.objects.filter(unit_id__any=views).values("pk")[:stop],
            kinds=(list,),
        )
    return _UNIT_COUNTS[stop]
