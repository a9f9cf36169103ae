"""The ``feedback`` figures of the dashboard, and the satisfaction inputs of Decision 766.

Everything is counted from this app's tables only (a rating and a complaint carry their unit).
Periods are inclusive local dates; see ``docs/feedback.md`` for each key's formula.
"""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, F, Q
from django.utils import timezone

from congso.core.periods import Period

from .lifecycle import ComplaintState
from .models import Complaint, Overall, Rating

KEYS = (
    "ratings",
    "ratings_very_satisfied",
    "ratings_satisfied",
    "ratings_unsatisfied",
    "complaints",
    "complaints_answered",
    "complaints_answered_on_time",
    "complaints_overdue",
)


def _rating_counts(unit_ids, first, after) -> dict[str, int]:
    ratings = Rating.objects.filter(
        unit_id__in=unit_ids, created_at__gte=first, created_at__lt=after
    )
    counts = ratings.aggregate(
        ratings=Count("id"),
        ratings_very_satisfied=Count("id", filter=Q(overall=Overall.VERY_SATISFIED)),
        ratings_satisfied=Count("id", filter=Q(overall=Overall.SATISFIED)),
        ratings_unsatisfied=Count("id", filter=Q(overall=Overall.UNSATISFIED)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def _answered_and_overdue(unit_ids, first, after):
    """Complaints answered in the period, and those overdue unanswered at its end (now for a
    period not ended): what formula 5.2 judges."""
    mine = Complaint.objects.filter(unit_id__in=unit_ids)
    answered = mine.filter(answered_at__gte=first, answered_at__lt=after)
    at = min(after, timezone.now())
    overdue = mine.filter(received_at__lt=at, due_at__lt=at).filter(
        Q(settled_at__isnull=True) | Q(settled_at__gt=at)
    )
    return mine, answered, overdue


def on_time_behind(unit_ids: Sequence[int], start: dt.date, end: dt.date):
    """Drill-down of Decision 766 criterion 5.2: (complaint codes answered on time, the rest of
    the denominator — answered late, then overdue unanswered), the entries the counts add up."""
    first, after = Period(start, end).bounds
    _mine, answered, overdue = _answered_and_overdue(list(unit_ids), first, after)
    on_time = answered.filter(answered_at__lte=F("due_at"))
    late = answered.exclude(pk__in=on_time.values("pk"))
    codes = lambda rows: list(rows.order_by("code").values_list("code", flat=True))  # noqa: E731
    return codes(on_time), codes(late) + codes(overdue)


def _received_and_evaluated(mine, first, after):
    """Complaints received in the period, and those whose answer the citizen rated in it."""
    received = mine.filter(received_at__gte=first, received_at__lt=after)
    evaluated = mine.filter(
        closed_at__gte=first, closed_at__lt=after, citizen_satisfied__isnull=False
    )
    return received, evaluated


def satisfaction_behind(unit_ids: Sequence[int], start: dt.date, end: dt.date):
    """Drill-down of Decision 766 criterion 5.3 (portal formula: received − rated unsatisfied −
    overdue, over received): (codes received, codes rated unsatisfied, codes overdue). The
    formula subtracts counts, so the numerator is no list of its own: the page shows the
    denominator and the two lists subtracted from it, whose lengths make the table's counts."""
    first, after = Period(start, end).bounds
    mine, _answered, overdue = _answered_and_overdue(list(unit_ids), first, after)
    received, evaluated = _received_and_evaluated(mine, first, after)
    codes = lambda rows: list(rows.order_by("code").values_list("code", flat=True))  # noqa: E731
    return codes(received), codes(evaluated.filter(citizen_satisfied=False)), codes(overdue)


def _complaint_counts(unit_ids, first, after) -> dict[str, int]:
    mine, answered, overdue = _answered_and_overdue(unit_ids, first, after)
    received, evaluated = _received_and_evaluated(mine, first, after)
    return {
        "complaints": received.count(),
        "complaints_answered": answered.count(),
        "complaints_answered_on_time": answered.filter(answered_at__lte=F("due_at")).count(),
        "complaints_overdue": overdue.count(),
        "complaints_evaluated": evaluated.count(),
        "complaints_satisfied": evaluated.filter(citizen_satisfied=True).count(),
    }


def dissatisfied_dossiers(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> set[int]:
    """Dossiers rated unsatisfied or complained about in the period: what Decision 766's
    "satisfaction with dossier handling" subtracts (with the late ones, which onestop counts)."""
    first, after = Period(start, end).bounds
    unsatisfied = Rating.objects.filter(
        unit_id__in=unit_ids,
        created_at__gte=first,
        created_at__lt=after,
        overall=Overall.UNSATISFIED,
    ).values_list("dossier_id", flat=True)
    complained = (
        Complaint.objects.filter(
            unit_id__in=unit_ids,
            received_at__gte=first,
            received_at__lt=after,
            dossier__isnull=False,
        )
        .exclude(state=ComplaintState.REJECTED)
        .values_list("dossier_id", flat=True)
    )
    return set(unsatisfied) | set(complained)


def provide(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, int]:
    """The dashboard's ``feedback`` source (keys in ``KEYS``) plus the 766 inputs."""
    first, after = Period(start, end).bounds
    unit_ids = list(unit_ids)
    figures = {
        **_rating_counts(unit_ids, first, after),
        **_complaint_counts(unit_ids, first, after),
    }
    rated_unsatisfied = Rating.objects.filter(
        unit_id__in=unit_ids,
        created_at__gte=first,
        created_at__lt=after,
        overall=Overall.UNSATISFIED,
    ).count()
    figures["dossiers_rated_unsatisfied"] = rated_unsatisfied
    figures["dossiers_complained"] = (
        Complaint.objects.filter(
            unit_id__in=unit_ids, received_at__gte=first, received_at__lt=after
        )
        .exclude(dossier__isnull=True)
        .exclude(state=ComplaintState.REJECTED)
        .values("dossier_id")
        .distinct()
        .count()
    )
    figures["dossiers_dissatisfied"] = len(dissatisfied_dossiers(unit_ids, start, end))
    return figures
