"""Daily facts of the one-stop shop: the counts the dashboard, the period report and the register
need, per (day, receiving unit, procedure), aggregated from the dossier rows. This module is the
only place the pre-aggregation reads one-stop tables; the dashboard stores what it returns and
never touches dossiers itself. Every timeliness class comes from ``onestop.timeliness``.

What "day" means for each key (all days are local Vietnam dates):

* ``received*``, ``fee_dossiers`` and the ``documents*`` counts — the day the dossier was
  **received** (``received_at``); ``documents*`` count the dossier's items;
* ``finished``, ``finished_early``, ``finished_on_time``, ``finished_late`` — the day processing
  **ended** (``finished_at``: result approved, refused — stopped — or withdrawn after receipt,
  which the national formula counts as ended); ``finished_refused`` and ``finished_withdrawn``
  say how many of those ended without a result;
* ``returned`` — the day the result was handed over; ``supplements`` — supplement requests
  made that day (forms 02 issued: the register of requests — how many a dossier had, which
  decides its class, is the clock's ``supplement_count``); ``apologised`` — the day of the
  dossier's apology (form 04, the clock's ``apologised_at``);
* ``open_within_time``, ``open_overdue``, ``open_waiting`` — a **snapshot at the end of the
  day** (cut-off: the next midnight): received before it and not ended by then, classed by
  ``timeliness.classify``; ``open_waiting_late`` — of the waiting ones, those the Decision 766
  formula counts late (requested after the due instant, or a second request). Snapshot keys
  are never summed over days: a period's value is the value of its last day, and the dossiers
  carried over into a period are the snapshot of the day before it.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import partial

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from congso.catalog.choices import Channel, OnlineMode
from congso.core.periods import local_midnight
from congso.core.prepared import PreparedQuery

from . import timeliness
from .models import Dossier, DossierDocument, PortalSyncMessage, Result, SupplementRequest
from .timeliness import Class

RECEIVED_KEYS = [
    "received",
    "received_online",
    "received_desk",
    "received_post",
    "received_fully_online",
    "received_acknowledged",
    "fee_dossiers",
    "dossiers_digitised",
    "dossiers_reused",
    "results_electronic",
]
FINISHED_KEYS = [
    "finished",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "finished_refused",
    "finished_withdrawn",
]
EVENT_KEYS = ["returned", "supplements", "apologised"]
DOCUMENT_KEYS = ["documents", "documents_digitised", "documents_reused"]
SNAPSHOT_KEYS = ["open_within_time", "open_overdue", "open_waiting", "open_waiting_late"]
FLOW_KEYS = RECEIVED_KEYS + FINISHED_KEYS + EVENT_KEYS + DOCUMENT_KEYS
KEYS = FLOW_KEYS + SNAPSHOT_KEYS

FINISHED_KEY = {
    Class.EARLY: "finished_early",
    Class.ON_TIME: "finished_on_time",
    Class.LATE: "finished_late",
}
OPEN_KEY = {
    Class.WITHIN: "open_within_time",
    Class.OVERDUE: "open_overdue",
    Class.WAITING: "open_waiting",
}

Key = tuple[dt.date, int, int]  # (day, receiving unit id, procedure id)


def _scoped(queryset, unit_ids: Sequence[int] | None, prefix: str = ""):
    if unit_ids is None:
        return queryset
    return queryset.filter(**{f"{prefix}receiving_unit_id__in": list(unit_ids)})


def _window(field: str, start: dt.date, end: dt.date) -> Q:
    after = local_midnight(end + dt.timedelta(days=1))
    return Q(**{f"{field}__gte": local_midnight(start), f"{field}__lt": after})


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


def dossier_flags() -> dict[str, Q]:
    """Decision 766 flags of one dossier (portal formulas 4.1–4.3, 1.4), as SQL conditions: an
    electronic result (a result file issued), every submitted item digitised *and* an electronic
    result (4.2), at least one item reused from digitised data (4.3), and a revision of its
    record the national portal acknowledged (1.4: answered ``error_code`` "00", the outbox row
    ``sent``; a refused or unanswered one does not count)."""
    documents = DossierDocument.objects.filter(dossier=OuterRef("pk"))
    result = Q(Exists(Result.objects.filter(dossier=OuterRef("pk"))))
    accepted = PortalSyncMessage.objects.filter(
        dossier=OuterRef("pk"), state=PortalSyncMessage.State.SENT
    )
    return {
        "received_acknowledged": Q(Exists(accepted)),
        "results_electronic": result,
        "dossiers_digitised": result
        & Q(Exists(documents))
        & ~Q(Exists(documents.filter(digitised=False))),
        "dossiers_reused": Q(Exists(documents.filter(reused=True))),
    }


def _received(start, end, unit_ids, facts) -> None:
    rows = _scoped(Dossier.objects.filter(_window("received_at", start, end)), unit_ids)
    online = Q(channel=Channel.ONLINE)
    flags = dossier_flags()
    measures = {
        "received": Count("pk"),
        "received_online": Count("pk", filter=online),
        "received_desk": Count("pk", filter=Q(channel=Channel.DESK)),
        "received_post": Count("pk", filter=Q(channel=Channel.POST)),
        "received_fully_online": Count(
            "pk", filter=online & Q(procedure__online_mode=OnlineMode.FULLY_ONLINE)
        ),
        "fee_dossiers": Count("pk", filter=Q(fee_amount__gt=0)),
        **{key: Count("pk", filter=condition) for key, condition in flags.items()},
    }
    _add(facts, _grouped(rows, "received_at", measures))


def _dated(field: str, key: str, start, end, unit_ids, facts) -> None:
    """Dossiers whose ``field`` instant falls on the day: results handed over (``returned_at``),
    apologies issued (``apologised_at`` — the clock field; one apology per dossier)."""
    rows = _scoped(Dossier.objects.filter(_window(field, start, end)), unit_ids)
    _add(facts, _grouped(rows, field, {key: Count("pk")}))


def _by_dossier(model, when: str, key: str, start, end, unit_ids, facts) -> None:
    rows = _scoped(model.objects.filter(_window(when, start, end)), unit_ids, "dossier__")
    _add(facts, _grouped(rows, when, {key: Count("pk")}, "dossier__"), "dossier__")


def _documents(start, end, unit_ids, facts) -> None:
    rows = DossierDocument.objects.filter(_window("dossier__received_at", start, end))
    rows = _scoped(rows, unit_ids, "dossier__")
    measures = {
        "documents": Count("pk"),
        "documents_digitised": Count("pk", filter=Q(digitised=True)),
        "documents_reused": Count("pk", filter=Q(reused=True)),
    }
    _add(facts, _grouped(rows, "dossier__received_at", measures, "dossier__"), "dossier__")


def _finished(start, end, unit_ids, facts) -> None:
    """Dossiers whose processing ended in the period, classed by ``timeliness``."""
    tz = timezone.get_current_timezone()
    rows = Dossier.objects.filter(_window("finished_at", start, end), received_at__isnull=False)
    extra = ("receiving_unit_id", "procedure_id")
    ended = timeliness.clocks_of(_scoped(rows, unit_ids), *extra, history=False)
    for clock, (unit_id, procedure_id) in ended:
        kind = timeliness.finished_class(clock)
        if kind is None:
            continue
        bucket = facts[(clock.finished_at.astimezone(tz).date(), unit_id, procedure_id)]
        bucket["finished"] += 1
        bucket[FINISHED_KEY[kind]] += 1
        ended = timeliness.ended_as(clock)
        if ended != "result":
            bucket[f"finished_{ended}"] += 1


def _open_rows(start: dt.date, end: dt.date, unit_ids):
    """Dossiers open at the end of at least one day of the period: received before it ends,
    not ended before the first midnight."""
    rows = Dossier.objects.filter(received_at__lt=local_midnight(end + dt.timedelta(days=1)))
    rows = rows.filter(
        Q(finished_at__isnull=True)
        | Q(finished_at__gte=local_midnight(start + dt.timedelta(days=1)))
    )
    return _scoped(rows, unit_ids)


def snapshot_key(clock: timeliness.Clock, cutoff: dt.datetime) -> list[str]:
    """The snapshot keys one dossier adds at ``cutoff`` (none when it is not open then)."""
    kind = timeliness.classify(clock, cutoff)
    if kind not in OPEN_KEY:
        return []
    keys = [OPEN_KEY[kind]]
    if kind == Class.WAITING and not timeliness.national_on_time(clock, cutoff):
        keys.append("open_waiting_late")
    return keys


def _snapshots(start: dt.date, end: dt.date, unit_ids, facts) -> None:
    """Open dossiers at the end of every day of the period: each dossier is classed at every
    midnight it is open at (the cut-off of that day's snapshot)."""
    tz = timezone.get_current_timezone()
    length = (end - start).days + 1
    midnights = [local_midnight(start + dt.timedelta(days=n + 1)) for n in range(length)]

    def first_index(instant) -> int:
        """The first day whose closing midnight is after ``instant``."""
        day = (instant.astimezone(tz).date() - start).days
        return min(max(day, 0), length)

    rows = _open_rows(start, end, unit_ids)
    for clock, (unit_id, procedure_id) in timeliness.clocks_of(
        rows, "receiving_unit_id", "procedure_id"
    ):
        first = first_index(clock.received_at)
        stop = length if clock.finished_at is None else first_index(clock.finished_at)
        for offset in range(first, stop):
            keys = snapshot_key(clock, midnights[offset])
            if keys:
                bucket = facts[(start + dt.timedelta(days=offset), unit_id, procedure_id)]
                for key in keys:
                    bucket[key] += 1


def compute(
    start: dt.date, end: dt.date, unit_ids: Sequence[int] | None = None
) -> dict[Key, dict[str, int]]:
    """The facts of every day ``start`` … ``end`` (inclusive) for the receiving units
    ``unit_ids`` (every unit when ``None``): only keys with at least one non-zero count."""
    facts: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KEYS, 0))
    _received(start, end, unit_ids, facts)
    _finished(start, end, unit_ids, facts)
    _dated("returned_at", "returned", start, end, unit_ids, facts)
    _dated("apologised_at", "apologised", start, end, unit_ids, facts)
    _by_dossier(SupplementRequest, "requested_at", "supplements", start, end, unit_ids, facts)
    _documents(start, end, unit_ids, facts)
    _snapshots(start, end, unit_ids, facts)
    return {key: values for key, values in facts.items() if any(values.values())}


# --- The same figures straight from the dossiers ---------------------------------------------


#: What ``open_at`` groups by: the column of each ``by``. A total is summed from the units' rows.
OPEN_GROUPS = {"unit": "receiving_unit_id", "procedure": "procedure_id", None: "receiving_unit_id"}


def _open_counts(unit_ids, cutoff: dt.datetime, now: bool, column: str):
    rows = Dossier.objects.filter(receiving_unit_id__any=unit_ids, received_at__lt=cutoff)
    rows = rows.filter(Q(finished_at__isnull=True) | Q(finished_at__gte=cutoff))
    return (
        rows.order_by()
        .annotate(**(timeliness.clock_now() if now else timeliness.clock_at(cutoff)))
        .values(column)
        .annotate(**timeliness.open_counts(cutoff))
        .order_by()
    )


#: ``open_at``'s grouped count, built and compiled once for the present and once for a past
#: instant, per grouping (a dashboard's running period asks it by unit on every view: grouped by
#: unit and procedure it was a row per pair, hundreds for a district, and twice the time).
_OPEN = {
    (now, column): PreparedQuery(
        partial(_open_counts, now=now, column=column), kinds=(list, dt.datetime)
    )
    for now in (True, False)
    for column in set(OPEN_GROUPS.values())
}


def open_at(
    unit_ids: Sequence[int], cutoff: dt.datetime, by: str | None = None, *, now: bool = False
) -> dict:
    """Snapshot keys at any instant (``now`` for a running period), straight from the dossiers
    open then, counted in SQL by ``timeliness.open_counts`` (one grouped query): ``{key: {key:
    n}}`` — by receiving unit id (``by="unit"``) or procedure id (``"procedure"``), or one total
    under ``None``. ``now``: ``cutoff`` is the present instant, judged by the clock fields
    themselves (``timeliness.clock_now``) instead of reading the clock's history."""
    column = OPEN_GROUPS[by]
    result: dict = defaultdict(lambda: dict.fromkeys(SNAPSHOT_KEYS, 0))
    for row in _OPEN[now, column].rows(list(unit_ids), cutoff):
        bucket = result[row[column] if by else None]
        bucket["open_within_time"] += row["open"] - row["waiting"] - row["overdue"]
        bucket["open_overdue"] += row["overdue"]
        bucket["open_waiting"] += row["waiting"]
        bucket["open_waiting_late"] += row["waiting_late"]
    return {key: values for key, values in result.items() if any(values.values())}


def raw_totals(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, int]:
    """The same figures for a whole period straight over the dossiers (the classes from
    ``timeliness``, the counts by plain aggregates) — what the facts must add up to, and the
    baseline the benchmarks compare against. Open dossiers are judged at the period's end, by
    the clock as it stood then (``timeliness.clock_at``), or now for a period that has not
    ended."""
    ids = list(unit_ids)
    window = {"received": _window("received_at", start, end)}
    online = Q(channel=Channel.ONLINE)
    received = window["received"]
    dossiers = Dossier.objects.filter(receiving_unit_id__in=ids)
    flags = {key: Count("pk", filter=received & c) for key, c in dossier_flags().items()}
    totals = dossiers.aggregate(
        **flags,
        received=Count("pk", filter=received),
        received_online=Count("pk", filter=received & online),
        received_desk=Count("pk", filter=received & Q(channel=Channel.DESK)),
        received_post=Count("pk", filter=received & Q(channel=Channel.POST)),
        received_fully_online=Count(
            "pk", filter=received & online & Q(procedure__online_mode=OnlineMode.FULLY_ONLINE)
        ),
        fee_dossiers=Count("pk", filter=received & Q(fee_amount__gt=0)),
        returned=Count("pk", filter=_window("returned_at", start, end)),
        apologised=Count("pk", filter=_window("apologised_at", start, end)),
    )
    totals.update(dict.fromkeys(FINISHED_KEYS, 0))
    ended = dossiers.filter(_window("finished_at", start, end), received_at__isnull=False)
    for clock, _extra in timeliness.clocks_of(ended, history=False):
        kind = timeliness.finished_class(clock)
        totals["finished"] += 1
        totals[FINISHED_KEY[kind]] += 1
        how = timeliness.ended_as(clock)
        if how != "result":
            totals[f"finished_{how}"] += 1
    totals["supplements"] = SupplementRequest.objects.filter(
        _window("requested_at", start, end), dossier__receiving_unit_id__in=ids
    ).count()
    totals.update(
        DossierDocument.objects.filter(
            _window("dossier__received_at", start, end), dossier__receiving_unit_id__in=ids
        ).aggregate(
            documents=Count("pk"),
            documents_digitised=Count("pk", filter=Q(digitised=True)),
            documents_reused=Count("pk", filter=Q(reused=True)),
        )
    )
    cutoff = timeliness.cutoff_for(local_midnight(end + dt.timedelta(days=1)))
    totals.update(open_at(ids, cutoff).get(None, dict.fromkeys(SNAPSHOT_KEYS, 0)))
    return {key: totals[key] or 0 for key in KEYS}


def sum_rows(rows: Iterable[dict]) -> dict[str, int]:
    total = dict.fromkeys(KEYS, 0)
    for row in rows:
        for key in KEYS:
            total[key] += row.get(key) or 0
    return total
