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
from congso.org.models import Unit

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


def provide(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, int]:
    first, after = Period(start, end).bounds
    ids = set()
    for unit in Unit.objects.filter(pk__in=list(unit_ids)):
        ids |= set(procedures_offered_at(unit).values_list("pk", flat=True))
    offered = Procedure.objects.filter(pk__in=ids)
    versions = ProcedureVersion.objects.filter(procedure__in=offered.values("pk"))
    published = list(
        versions.filter(published_at__gte=first, published_at__lt=after).values_list(
            "published_at", "valid_from"
        )
    )
    effective = list(
        versions.filter(valid_from__gte=start, valid_from__lte=end).values_list(
            "published_at", "valid_from"
        )
    )
    in_force = (
        versions.filter(versions_in_force(min(end, dt.date.today())))
        .annotate(
            steps_count=Count("steps", distinct=True),
            terms_count=Count("channels", distinct=True),
            documents_count=Count("documents", distinct=True),
        )
        .order_by("procedure_id", "-valid_from")
    )
    latest = {}
    for version in in_force:
        latest.setdefault(version.procedure_id, version)
    local = lambda instant: instant.astimezone(first.tzinfo).date()  # noqa: E731
    return {
        "versions_published": len(published),
        "versions_published_on_time": sum(
            local(at) <= working_days_before(valid, NOTICE_WORKING_DAYS) for at, valid in published
        ),
        "versions_effective": len(effective),
        "versions_public_on_time": sum(local(at) <= valid for at, valid in effective),
        "procedures_offered": offered.count(),
        "procedures_complete": sum(_complete(v) for v in latest.values()),
    }
