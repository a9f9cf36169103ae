"""The dossiers behind each Decision 766 indicator the one-stop data decides (issue 15 item 4):
for a set of receiving units and a period, the ids of the dossiers in the numerator and in the
denominator of each national-portal formula. The dashboard's index reads the same counts from
the daily facts; this module lists the dossiers (the drill-down) and a test holds both equal.

Formulas (national portal, Decision 766/QĐ-TTg; see docs/indicators.md):

* ``on_time_rate`` (2.1) — dossiers ended in the period or open at its cut-off (now for a period
  not ended); on time as ``timeliness.national_on_time`` says;
* ``online_filing_rate`` (3.3), ``results_electronic`` (4.1), ``digitisation_rate`` (4.2),
  ``reuse_rate`` (4.3), ``synced_to_portal`` (1.4) — dossiers received in the period, and of
  those the ones filed online / with an electronic result / every item digitised and an
  electronic result / an item reused / a revision the national portal acknowledged;
* ``fee_bearing`` — dossiers received in the period with a fee (the payments app decides which
  were paid online, 3.6).
"""

from collections.abc import Sequence

from django.db.models import Q

from congso.core.periods import Period

from . import facts, timeliness
from .models import Dossier

RECEIVED_FLAGS = {
    "online_filing_rate": lambda: Q(channel="online"),
    "results_electronic": lambda: facts.dossier_flags()["results_electronic"],
    "digitisation_rate": lambda: facts.dossier_flags()["dossiers_digitised"],
    "reuse_rate": lambda: facts.dossier_flags()["dossiers_reused"],
    "synced_to_portal": lambda: facts.dossier_flags()["received_acknowledged"],
}
KEYS = ["on_time_rate", *RECEIVED_FLAGS]


def received(unit_ids: Sequence[int], period: Period):
    return Dossier.objects.filter(
        receiving_unit_id__in=list(unit_ids),
        received_at__gte=period.begin,
        received_at__lt=period.finish,
    )


def _ids(queryset) -> set[int]:
    return set(queryset.order_by().values_list("pk", flat=True))


def on_time(unit_ids: Sequence[int], period: Period, now=None) -> tuple[set[int], set[int]]:
    cutoff = timeliness.cutoff_for(period.finish, now)
    ended = Q(finished_at__gte=period.begin, finished_at__lt=cutoff)
    still_open = Q(received_at__lt=cutoff) & (
        Q(finished_at__isnull=True) | Q(finished_at__gte=cutoff)
    )
    rows = Dossier.objects.filter(receiving_unit_id__in=list(unit_ids)).filter(ended | still_open)
    numerator, denominator = set(), set()
    for clock, _extra in timeliness.clocks_of(rows.filter(received_at__isnull=False)):
        counted = timeliness.national_on_time(clock, cutoff)
        if counted is None:
            continue
        denominator.add(clock.dossier_id)
        if counted:
            numerator.add(clock.dossier_id)
    return numerator, denominator


def dossiers_behind(
    key: str, unit_ids: Sequence[int], period: Period, now=None
) -> tuple[set[int], set[int]]:
    """(numerator ids, denominator ids) of indicator ``key`` (one of ``KEYS``)."""
    if key == "on_time_rate":
        return on_time(unit_ids, period, now)
    base = received(unit_ids, period)
    return _ids(base.filter(RECEIVED_FLAGS[key]())), _ids(base)


def fee_bearing(unit_ids: Sequence[int], period: Period) -> set[int]:
    return _ids(received(unit_ids, period).filter(fee_amount__gt=0))


def codes(dossier_ids, limit: int | None = None) -> list[tuple[int, str]]:
    """(id, code) of the dossiers, in code order (at most ``limit``)."""
    rows = Dossier.objects.filter(pk__in=list(dossier_ids)).order_by("code")
    rows = rows.values_list("pk", "code")
    return list(rows[:limit] if limit else rows)
