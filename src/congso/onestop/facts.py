"""Daily facts of the one-stop shop: the counts the dashboard needs, per (day, receiving unit,
procedure), aggregated from the dossier rows. This module is the only place the dashboard's
pre-aggregation reads one-stop tables; the dashboard stores what it returns and never touches
dossiers itself.

What "day" means for each key (all days are local Vietnam dates):

* ``received*``, ``fee_dossiers`` and the ``documents*`` counts — the day the dossier was
  **received** (``received_at``); ``documents*`` count the dossier's items;
* ``finished``, ``finished_early``, ``finished_on_time``, ``finished_late`` — the day the
  dossier got its result (``finished_at``), counting only dossiers with a timeliness class
  (withdrawn or stopped dossiers are not "finished" for the on-time rate);
* ``open_within_time``, ``open_overdue`` — a **snapshot at the end of the day**: received
  before midnight and not finished by then; within time while ``due_at`` ≥ midnight
  (regulations §5). Snapshot keys are never summed over days: a period's value is the value of
  its last day.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from congso.catalog.models import Channel, OnlineMode
from congso.core.periods import local_midnight

from .models import Dossier, DossierDocument
from .rules import Timeliness

RECEIVED_KEYS = [
    "received",
    "received_online",
    "received_desk",
    "received_fully_online",
    "fee_dossiers",
]
FINISHED_KEYS = ["finished", "finished_early", "finished_on_time", "finished_late"]
DOCUMENT_KEYS = ["documents", "documents_digitised", "documents_reused"]
SNAPSHOT_KEYS = ["open_within_time", "open_overdue"]
FLOW_KEYS = RECEIVED_KEYS + FINISHED_KEYS + DOCUMENT_KEYS
KEYS = FLOW_KEYS + SNAPSHOT_KEYS

Key = tuple[dt.date, int, int]  # (day, receiving unit id, procedure id)


def _scoped(queryset, unit_ids: Sequence[int] | None, prefix: str = ""):
    if unit_ids is None:
        return queryset
    return queryset.filter(**{f"{prefix}receiving_unit_id__in": list(unit_ids)})


def _grouped(queryset, when: str, measures: dict, prefix: str = ""):
    local_day = TruncDate(when, tzinfo=timezone.get_current_timezone())
    return (
        queryset.order_by()
        .annotate(fact_day=local_day)
        .values("fact_day", f"{prefix}receiving_unit_id", f"{prefix}procedure_id")
        .annotate(**measures)
        .order_by()
    )


def _add(facts: dict, rows, prefix: str = "") -> None:
    for row in rows:
        key = (row.pop("fact_day"), row.pop(f"{prefix}receiving_unit_id"))
        key = (*key, row.pop(f"{prefix}procedure_id"))
        bucket = facts[key]
        for name, value in row.items():
            bucket[name] += value


def _received(start, end, unit_ids, facts) -> None:
    rows = Dossier.objects.filter(received_at__gte=local_midnight(start))
    rows = _scoped(
        rows.filter(received_at__lt=local_midnight(end + dt.timedelta(days=1))), unit_ids
    )
    online = Q(channel=Channel.ONLINE)
    measures = {
        "received": Count("pk"),
        "received_online": Count("pk", filter=online),
        "received_desk": Count("pk", filter=Q(channel=Channel.DESK)),
        "received_fully_online": Count(
            "pk", filter=online & Q(procedure__online_mode=OnlineMode.FULLY_ONLINE)
        ),
        "fee_dossiers": Count("pk", filter=Q(fee_amount__gt=0)),
    }
    _add(facts, _grouped(rows, "received_at", measures))


def _finished(start, end, unit_ids, facts) -> None:
    rows = Dossier.objects.filter(finished_at__gte=local_midnight(start))
    rows = rows.filter(finished_at__lt=local_midnight(end + dt.timedelta(days=1)))
    rows = _scoped(rows, unit_ids).filter(timeliness__in=Timeliness.values)
    measures = {
        "finished": Count("pk"),
        "finished_early": Count("pk", filter=Q(timeliness=Timeliness.EARLY)),
        "finished_on_time": Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
        "finished_late": Count("pk", filter=Q(timeliness=Timeliness.LATE)),
    }
    _add(facts, _grouped(rows, "finished_at", measures))


def _documents(start, end, unit_ids, facts) -> None:
    rows = DossierDocument.objects.filter(dossier__received_at__gte=local_midnight(start))
    rows = rows.filter(dossier__received_at__lt=local_midnight(end + dt.timedelta(days=1)))
    rows = _scoped(rows, unit_ids, "dossier__")
    measures = {
        "documents": Count("pk"),
        "documents_digitised": Count("pk", filter=Q(digitised=True)),
        "documents_reused": Count("pk", filter=Q(reused=True)),
    }
    _add(facts, _grouped(rows, "dossier__received_at", measures, "dossier__"), "dossier__")


def _open_rows(start: dt.date, end: dt.date, unit_ids):
    """(unit, procedure, received, finished, due) of every dossier open at the end of at least
    one day of the period: received before it ends, not finished before the first midnight."""
    rows = Dossier.objects.filter(received_at__lt=local_midnight(end + dt.timedelta(days=1)))
    rows = rows.filter(
        Q(finished_at__isnull=True)
        | Q(finished_at__gte=local_midnight(start + dt.timedelta(days=1)))
    )
    fields = ("receiving_unit_id", "procedure_id", "received_at", "finished_at", "due_at")
    return _scoped(rows, unit_ids).order_by().values_list(*fields).iterator(chunk_size=20_000)


def _snapshots(start: dt.date, end: dt.date, unit_ids, facts) -> None:
    """Open dossiers at the end of every day of the period, in one pass over the rows.

    A dossier received on day r and finished on day f (local dates) is open at the end of the
    days r … f−1; with due date d it is within time on r … d−1 and overdue from d on (due at or
    after midnight ends the day within time). Each dossier adds +1/−1 at the ends of those
    spans (a difference array per unit and procedure), and a running sum gives every day.
    """
    tz = timezone.get_current_timezone()
    length = (end - start).days + 1
    deltas: dict = defaultdict(lambda: ([0] * (length + 1), [0] * (length + 1)))

    def index(instant, missing: int) -> int:
        if instant is None:
            return missing
        return min(max((instant.astimezone(tz).date() - start).days, 0), length)

    for unit_id, procedure_id, received, finished, due in _open_rows(start, end, unit_ids):
        first, stop = index(received, 0), index(finished, length)
        turn = min(max(index(due, length), first), stop)
        within, overdue = deltas[(unit_id, procedure_id)]
        within[first] += 1
        within[turn] -= 1
        overdue[turn] += 1
        overdue[stop] -= 1
    for (unit_id, procedure_id), (within, overdue) in deltas.items():
        open_within = open_overdue = 0
        for offset in range(length):
            open_within += within[offset]
            open_overdue += overdue[offset]
            if open_within or open_overdue:
                bucket = facts[(start + dt.timedelta(days=offset), unit_id, procedure_id)]
                bucket["open_within_time"] += open_within
                bucket["open_overdue"] += open_overdue


def compute(
    start: dt.date, end: dt.date, unit_ids: Sequence[int] | None = None
) -> dict[Key, dict[str, int]]:
    """The facts of every day ``start`` … ``end`` (inclusive) for the receiving units
    ``unit_ids`` (every unit when ``None``): only keys with at least one non-zero count."""
    facts: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KEYS, 0))
    _received(start, end, unit_ids, facts)
    _finished(start, end, unit_ids, facts)
    _documents(start, end, unit_ids, facts)
    _snapshots(start, end, unit_ids, facts)
    return {key: values for key, values in facts.items() if any(values.values())}


def raw_totals(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, int]:
    """The same figures for a whole period in one aggregate straight over the dossiers — what
    the facts must add up to, and the baseline the dashboard benchmark compares against."""
    begin, finish = local_midnight(start), local_midnight(end + dt.timedelta(days=1))
    received = Q(received_at__gte=begin, received_at__lt=finish)
    finished = Q(finished_at__gte=begin, finished_at__lt=finish, timeliness__in=Timeliness.values)
    still_open = Q(received_at__lt=finish) & (
        Q(finished_at__isnull=True) | Q(finished_at__gte=finish)
    )
    within = Q(due_at__isnull=True) | Q(due_at__gte=finish)
    online = Q(channel=Channel.ONLINE)
    measures = {
        "received": Count("pk", filter=received),
        "received_online": Count("pk", filter=received & online),
        "received_desk": Count("pk", filter=received & Q(channel=Channel.DESK)),
        "received_fully_online": Count(
            "pk", filter=received & online & Q(procedure__online_mode=OnlineMode.FULLY_ONLINE)
        ),
        "fee_dossiers": Count("pk", filter=received & Q(fee_amount__gt=0)),
        "finished": Count("pk", filter=finished),
        "finished_early": Count("pk", filter=finished & Q(timeliness=Timeliness.EARLY)),
        "finished_on_time": Count("pk", filter=finished & Q(timeliness=Timeliness.ON_TIME)),
        "finished_late": Count("pk", filter=finished & Q(timeliness=Timeliness.LATE)),
        "open_within_time": Count("pk", filter=still_open & within),
        "open_overdue": Count("pk", filter=still_open & ~within),
    }
    totals = Dossier.objects.filter(receiving_unit_id__in=list(unit_ids)).aggregate(**measures)
    documents = DossierDocument.objects.filter(
        dossier__receiving_unit_id__in=list(unit_ids),
        dossier__received_at__gte=begin,
        dossier__received_at__lt=finish,
    ).aggregate(
        documents=Count("pk"),
        documents_digitised=Count("pk", filter=Q(digitised=True)),
        documents_reused=Count("pk", filter=Q(reused=True)),
    )
    return {**totals, **documents}
