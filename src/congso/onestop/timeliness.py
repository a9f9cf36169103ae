"""Timeliness as the inspector and the national portal count it — the one definition.

Every figure that says "early", "on time", "late", "within time", "overdue" or "waiting for the
citizen" (the period report, the register — form 07, the dashboard's daily facts, the Decision
766 index and the national-portal export) calls ``classify`` (or ``national_on_time``) on a
``Clock`` built by ``clocks``; nothing else decides it.

Legal basis and source of each rule:

* **Judged against the original due instant.** Decree 61/2018/NĐ-CP art. 19 (as amended by
  Decree 107/2021 and replaced by Decree 118/2025/NĐ-CP): an apology (form 04) sets a new date
  for the citizen but the dossier is still late — the report of Circular 01/2023/TT-VPCP counts
  it against the appointment given at receipt. ``Clock.due`` is that first instant.
* **Supplement waiting is subtracted.** National portal, formula of indicator 2.1 (Decision
  766/QĐ-TTg, group "tiến độ, kết quả giải quyết"): *end of processing − (supplement returned −
  supplement requested) ≤ appointment*; a dossier still waiting for the citizen takes the
  request instant as its end; **more than one supplement request counts late** (Decree
  118/2025: the desk gives complete guidance once).
* **What ends processing.** Same formula: refused (stopped), result issued, returned, withdrawn
  by the citizen — *only dossiers that were received*. A dossier refused at intake (form 03 at
  the desk) or withdrawn before receipt is not counted at all (``None``).
* **Early / on time / late.** Regulations §5 and the portal's "đúng hạn: ngày kết thúc ≤ ngày
  hẹn trả": late when the (waiting-corrected) end is after the due instant; early when it falls
  on a local day before the due day; on time otherwise.
* **Open at the cut-off.** Within time while the (waiting-corrected) cut-off has not passed the
  due instant, overdue after; the cut-off is the period's end, or *now* for a period that has
  not ended (the portal: "chưa có trạng thái hoàn thành → lấy ngày cuối kỳ báo cáo", current
  period up to today). A dossier waiting for the citizen at the cut-off is in its own column
  (``WAITING``), neither within time nor overdue.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lifecycle import State


class Class(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")
    WITHIN = "within", _("Đang giải quyết trong hạn")
    OVERDUE = "overdue", _("Đang giải quyết quá hạn")
    WAITING = "waiting", _("Chờ công dân bổ sung")


FINISHED = (Class.EARLY, Class.ON_TIME, Class.LATE)
OPEN = (Class.WITHIN, Class.OVERDUE, Class.WAITING)


@dataclass(frozen=True)
class Clock:
    """What timeliness is judged from, for one dossier."""

    dossier_id: int
    received_at: dt.datetime | None
    finished_at: dt.datetime | None
    state: str
    #: The original due instant given at receipt (never moved by an apology).
    due: dt.datetime | None
    #: Supplement requests in order: (requested at, answered at or ``None``).
    waits: tuple[tuple[dt.datetime, dt.datetime | None], ...] = ()
    apologised: bool = False


def _local_day(instant: dt.datetime) -> dt.date:
    return timezone.localtime(instant).date()


def requests_before(clock: Clock, instant: dt.datetime) -> int:
    """Supplement requests made before ``instant``."""
    return sum(1 for requested, _answered in clock.waits if requested < instant)


def waiting_at(clock: Clock, instant: dt.datetime) -> bool:
    """Waiting for the citizen at ``instant``: a request made before it, not answered by then."""
    return any(
        requested < instant and (answered is None or answered >= instant)
        for requested, answered in clock.waits
    )


def corrected(clock: Clock, instant: dt.datetime) -> dt.datetime:
    """``instant`` less the time spent waiting for the citizen before it (portal formula 2.1)."""
    waited = dt.timedelta()
    for requested, answered in clock.waits:
        if requested < instant:
            waited += min(answered or instant, instant) - requested
    return instant - waited


def _finished_class(clock: Clock) -> Class:
    end = clock.finished_at
    if clock.due is None:
        return Class.ON_TIME
    if requests_before(clock, end) > 1:
        return Class.LATE
    effective = corrected(clock, end)
    if effective > clock.due:
        return Class.LATE
    if _local_day(effective) < _local_day(clock.due):
        return Class.EARLY
    return Class.ON_TIME


def _open_class(clock: Clock, cutoff: dt.datetime) -> Class:
    if waiting_at(clock, cutoff):
        return Class.WAITING
    if clock.due is None:
        return Class.WITHIN
    if requests_before(clock, cutoff) > 1 or corrected(clock, cutoff) > clock.due:
        return Class.OVERDUE
    return Class.WITHIN


def classify(clock: Clock, cutoff: dt.datetime) -> Class | None:
    """The dossier's class at ``cutoff`` (an instant; ``cutoff_for`` gives a period's):
    finished early / on time / late if processing ended before it; within time, overdue or
    waiting for the citizen if it was received and is still open; ``None`` if it was not
    received before ``cutoff`` (not counted)."""
    if clock.received_at is None or clock.received_at >= cutoff:
        return None
    if clock.finished_at is not None and clock.finished_at < cutoff:
        return _finished_class(clock)
    return _open_class(clock, cutoff)


def finished_class(clock: Clock) -> Class | None:
    """The class of a dossier whose processing has ended (``None`` if it never was received or
    has not ended)."""
    if clock.received_at is None or clock.finished_at is None:
        return None
    return _finished_class(clock)


def national_on_time(clock: Clock, cutoff: dt.datetime) -> bool | None:
    """Decision 766 indicator 2.1 for one dossier: counted on time (numerator) or not; ``None``
    when it does not count. A dossier waiting for the citizen ends at its (only) request; a
    second request counts late."""
    kind = classify(clock, cutoff)
    if kind is None:
        return None
    if kind == Class.WAITING:
        if requests_before(clock, cutoff) > 1 or clock.due is None:
            return clock.due is None
        last = max(requested for requested, _answered in clock.waits if requested < cutoff)
        return corrected(clock, last) <= clock.due
    return kind in (Class.EARLY, Class.ON_TIME, Class.WITHIN)


def ended_as(clock: Clock) -> str:
    """How processing ended, for the "of which" columns: ``refused`` (stopped by the deciding
    agency, form 03), ``withdrawn`` (form 05) or ``result``."""
    if clock.state == State.STOPPED:
        return "refused"
    if clock.state == State.WITHDRAWN:
        return "withdrawn"
    return "result"


def cutoff_for(finish: dt.datetime, now: dt.datetime | None = None) -> dt.datetime:
    """The instant open dossiers are judged at: the period's end, or now if it has not ended."""
    now = now or timezone.now()
    return min(finish, now)


# --- The one derivation from the database ---------------------------------------------------
#
# Until the supplement clock stores a supplement counter, the flag of a second supplement and
# the apology fields on the dossier (issue 15 item 1–2), they are derived here — and only here —
# from ``SupplementRequest`` rows and the apology ``Event``; switch this function when they land.

CLOCK_FIELDS = ("pk", "received_at", "finished_at", "state", "original_due_at", "due_at")


def judged_due(original_due_at, due_at):
    """The due instant timeliness is judged against: the one given at receipt
    (``original_due_at``); ``due_at`` for rows written before it was always recorded."""
    return original_due_at or due_at


def _waits_of(dossier_ids) -> dict[int, list]:
    from .models import SupplementRequest

    waits: dict[int, list] = defaultdict(list)
    rows = (
        SupplementRequest.objects.filter(dossier_id__in=dossier_ids)
        .order_by("dossier_id", "requested_at", "id")
        .values_list("dossier_id", "requested_at", "answered_at")
    )
    for dossier_id, requested, answered in rows:
        waits[dossier_id].append((requested, answered))
    return waits


def _apologised_of(dossier_ids) -> set[int]:
    from .models import Event

    rows = Event.objects.filter(dossier_id__in=dossier_ids, transition="apologise")
    return set(rows.values_list("dossier_id", flat=True))


def clocks(rows: Iterable[tuple], chunk: int = 5000) -> Iterator[tuple[Clock, tuple]]:
    """``(Clock, extra)`` of each dossier row — ``values_list(*CLOCK_FIELDS, *extra)`` — reading
    the supplement requests and apologies of ``chunk`` dossiers at a time (two queries each)."""
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            yield from _clocks(batch)
            batch = []
    if batch:
        yield from _clocks(batch)


def _clocks(batch: list[tuple]) -> Iterator[tuple[Clock, tuple]]:
    ids = [row[0] for row in batch]
    waits, apologised = _waits_of(ids), _apologised_of(ids)
    for row in batch:
        pk, received, finished, state, original_due, due = row[:6]
        clock = Clock(
            pk,
            received,
            finished,
            state,
            judged_due(original_due, due),
            tuple(waits.get(pk, ())),
            pk in apologised,
        )
        yield clock, row[6:]


def clock_of(dossier) -> Clock:
    """The ``Clock`` of one dossier instance."""
    row = (
        dossier.pk,
        dossier.received_at,
        dossier.finished_at,
        dossier.state,
        dossier.original_due_at,
        dossier.due_at,
    )
    return next(_clocks([row]))[0]


def clocks_of(queryset, *extra: str) -> Iterator[tuple[Clock, tuple]]:
    """``(Clock, extra values)`` of every dossier of ``queryset``."""
    rows = queryset.order_by().values_list(*CLOCK_FIELDS, *extra).iterator(chunk_size=5000)
    return clocks(rows)
