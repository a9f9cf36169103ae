"""The catalogue's figures for the dashboard (source ``catalog``): the transparency criteria of
Decision 766/QĐ-TTg that the catalogue records (portal formulas 1.1–1.3, issue 15 item 4).

For the procedures the units offer (``services.procedures_offered_at``), over the period's local
days:

* ``versions_published`` — procedure versions published in the period (``published_at``);
* ``versions_published_on_time`` — of those, published at least ``NOTICE_WORKING_DAYS`` working
  days (Monday–Friday) before they take effect (``valid_from``): the portal's provincial rule
  "decision date ≤ effective date − 5 working days" (1.1);
* ``versions_effective`` — versions taking effect in the period; ``versions_public_on_time`` —
  of those, public on the platform no later than the day they take effect (1.2, read with the
  data the catalogue keeps: the decision date itself is not recorded);
* ``procedures_offered`` — active procedures offered by the units; ``procedures_complete`` — of
  those, the version in force has every part Decree 63/2010 art. 8(2) lists: steps, channels with
  a time limit, required documents, applicants, deciding agency, result (1.3).
"""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count

from congso.core.periods import Period
from congso.org import services as org

from .models import Procedure, ProcedureVersion, versions_in_force
from .services import procedures_offered_at

NOTICE_WORKING_DAYS = 5


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The day ``count`` working days (Monday–Friday) before ``day``."""
    while count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _complete(version) -> bool:
    return bool(
        version.steps_count
        and version.terms_count
        and version.documents_count
        and version.applicants.strip()
        and version.deciding_agency.strip()
        and version.result.strip()
    )


def _selection(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict:
    """What 1.1–1.3 judge, one entry per version (or procedure): ``(procedure code, day,
    counted in the numerator)`` — ``provide`` counts it, ``behind`` lists it."""
    first, after = Period(start, end).bounds
    ids = set()
    for unit in org.units().filter(pk__in=list(unit_ids)):
        ids |= set(procedures_offered_at(unit).values_list("pk", flat=True))
    offered = Procedure.objects.filter(pk__in=ids)
    versions = ProcedureVersion.objects.filter(procedure__in=offered.values("pk"))
    fields = ("procedure__code", "published_at", "valid_from")
    published = versions.filter(published_at__gte=first, published_at__lt=after)
    effective = versions.filter(valid_from__gte=start, valid_from__lte=end)
    in_force = (
        versions.filter(versions_in_force(min(end, dt.date.today())))
        .annotate(
            steps_count=Count("steps", distinct=True),
            terms_count=Count("channels", distinct=True),
            documents_count=Count("documents", distinct=True),
        )
        .select_related("procedure")
        .order_by("procedure_id", "-valid_from")
    )
    latest = {}
    for version in in_force:
        latest.setdefault(version.procedure_id, version)
    complete = {v.procedure.code for v in latest.values() if _complete(v)}
    local = lambda instant: instant.astimezone(first.tzinfo).date()  # noqa: E731
    notice = NOTICE_WORKING_DAYS
    return {
        "procedures_published_on_time": [
            (code, valid, local(at) <= working_days_before(valid, notice))
            for code, at, valid in published.values_list(*fields)
        ],
        "catalogue_updated_on_time": [
            (code, valid, local(at) <= valid) for code, at, valid in effective.values_list(*fields)
        ],
        "procedures_complete": [
            (code, None, code in complete) for code in offered.values_list("code", flat=True)
        ],
    }


#: The dashboard's keys of each criterion: (numerator, denominator).
KEYS = {
    "procedures_published_on_time": ("versions_published_on_time", "versions_published"),
    "catalogue_updated_on_time": ("versions_public_on_time", "versions_effective"),
    "procedures_complete": ("procedures_complete", "procedures_offered"),
}


def provide(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, int]:
    figures = {}
    for criterion, entries in _selection(unit_ids, start, end).items():
        numerator, denominator = KEYS[criterion]
        figures[numerator] = sum(counted for _code, _day, counted in entries)
        figures[denominator] = len(entries)
    return figures


def behind(criterion: str, unit_ids: Sequence[int], start: dt.date, end: dt.date):
    """The drill-down of transparency criterion ``criterion`` (a key of ``KEYS``): (numerator,
    the rest of the denominator) as ``(procedure code, day the version takes effect or None)``
    in code order — the same entries ``provide`` counts."""
    entries = sorted(_selection(unit_ids, start, end)[criterion], key=lambda e: e[0])
    return (
        [(code, day) for code, day, counted in entries if counted],
        [(code, day) for code, day, counted in entries if not counted],
    )
