"""Timeliness as the inspector and the national portal count it — the one definition.

Every figure that says "early", "on time", "late", "within time", "overdue" or "waiting for the
citizen" (the period report, the register — form 07, the dashboard's daily facts, the Decision
766 index and the national-portal export) calls ``classify`` (or ``national_on_time``) on a
``Clock`` built by ``clocks``; nothing else decides it.

Legal basis and source of each rule:

* **Judged against the statutory due instant, never the apology's.** Decree 61/2018/NĐ-CP
  art. 19 (as amended by Decree 107/2021 and replaced by Decree 118/2025/NĐ-CP): an apology
  (form 04) sets a new date for the citizen but the dossier is still late — the report of
  Circular 01/2023/TT-VPCP counts it against the appointment given at receipt. ``Clock.due`` is
  the dossier's ``statutory_due_at``: that appointment moved only by the supplement clock.
* **Supplement waiting is subtracted — by the clock.** National portal, formula of indicator
  2.1 (Decision 766/QĐ-TTg, group "tiến độ, kết quả giải quyết"): *end of processing −
  (supplement returned − supplement requested) ≤ appointment*. The supplement clock
  (``services._stop_clock`` / ``_resume_clock``) already moves ``statutory_due_at`` on by the
  working time waited (or restarts it where the procedure version says so), so the comparison
  is end ≤ statutory due. A dossier waiting for the citizen (``clock_stopped_at`` set) takes
  the stop as its end; **more than one supplement request (``supplement_count`` ≥ 2) counts
  late** (Decree 118/2025: the desk gives complete guidance once).
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

The clock fields are the clock *now*; its history (``models.ClockChange``: one row at receipt
and one at each stop, resume, restart or further request, written in the transaction of the
change) says what it was before. ``classify`` and ``national_on_time`` judge a cut-off with the
clock **as it stood then** (``as_at``; portal formula 2.1 judges an open dossier at the report's
cut-off by its state then), so a period that has ended keeps a wait that has since ended, does
not count a second request made after it, and judges against the due instant of that moment —
the daily facts, the raw aggregation, the period report, the register and the index's drill-down
alike. A running period (cut-off *now*) is judged by the fields themselves.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lifecycle import State
from .models import ClockChange


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
class ClockState:
    """The clock as one change left it (a ``models.ClockChange`` row)."""

    at: dt.datetime
    due: dt.datetime | None
    supplements: int
    stopped_at: dt.datetime | None


@dataclass(frozen=True)
class Clock:
    """What timeliness is judged from, for one dossier: its clock fields and the clock's own
    history, nothing else (the supplement clock keeps them — ``services._stop_clock`` /
    ``_resume_clock``, ``services.record_clock`` — so there is one source of truth; supplement
    requests and events are records, not inputs)."""

    dossier_id: int
    received_at: dt.datetime | None
    finished_at: dt.datetime | None
    state: str
    #: The statutory due instant: the one given at receipt, moved only by the supplement clock
    #: (the time the applicant took is not counted), never by an apology.
    due: dt.datetime | None
    #: Supplement requests issued (form 02); more than one counts late.
    supplements: int = 0
    #: Since when the clock stands still waiting for the applicant (``None`` while it runs).
    stopped_at: dt.datetime | None = None
    apologised: bool = False
    #: Its changes in order (``ClockState``); empty when none were loaded (judged as it is now).
    history: tuple[ClockState, ...] = ()


def as_at(clock: Clock, cutoff: dt.datetime) -> Clock:
    """The clock as it stood at ``cutoff``: the due instant, the requests made and the stop of
    the last change before it (portal formula 2.1 judges a cut-off by the state then). Without
    a change before ``cutoff`` (no history loaded, or not yet received) the clock as it is."""
    state = None
    for change in clock.history:
        if change.at >= cutoff:
            break
        state = change
    if state is None:
        return clock
    return replace(clock, due=state.due, supplements=state.supplements, stopped_at=state.stopped_at)


def _local_day(instant: dt.datetime) -> dt.date:
    return timezone.localtime(instant).date()


def repeated(clock: Clock) -> bool:
    """A second supplement request was made: late whatever the dates (Decree 118/2025/NĐ-CP —
    complete guidance once; portal formula 2.1 "yêu cầu bổ sung hơn 01 lần: quá hạn")."""
    return clock.supplements > 1


def waiting_at(clock: Clock, instant: dt.datetime) -> bool:
    """Waiting for the applicant at ``instant``: the clock stopped before it and has not run
    again since."""
    return clock.stopped_at is not None and clock.stopped_at < instant


def end_of_processing(clock: Clock) -> dt.datetime:
    """When processing ended for the formula: a dossier ended (withdrawn, refused) while the
    clock stood still ends at the stop (portal formula 2.1: the request instant)."""
    if clock.stopped_at is not None and clock.stopped_at < clock.finished_at:
        return clock.stopped_at
    return clock.finished_at


def _finished_class(clock: Clock) -> Class:
    if repeated(clock):
        return Class.LATE
    if clock.due is None:
        return Class.ON_TIME
    end = end_of_processing(clock)
    if end > clock.due:
        return Class.LATE
    if _local_day(end) < _local_day(clock.due):
        return Class.EARLY
    return Class.ON_TIME


def _open_class(clock: Clock, cutoff: dt.datetime) -> Class:
    if waiting_at(clock, cutoff):
        return Class.WAITING
    if repeated(clock) or (clock.due is not None and cutoff > clock.due):
        return Class.OVERDUE
    return Class.WITHIN


def classify(clock: Clock, cutoff: dt.datetime) -> Class | None:
    """The dossier's class at ``cutoff`` (an instant; ``cutoff_for`` gives a period's):
    finished early / on time / late if processing ended before it; within time, overdue or
    waiting for the citizen if it was received and is still open; ``None`` if it was not
    received before ``cutoff`` (not counted). The clock is taken as it stood at ``cutoff``
    (``as_at``)."""
    if clock.received_at is None or clock.received_at >= cutoff:
        return None
    clock = as_at(clock, cutoff)
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
    when it does not count. A dossier waiting for the citizen ends at its request (on time if
    the clock stopped before the due instant); a second request counts late."""
    kind = classify(clock, cutoff)
    if kind is None:
        return None
    clock = as_at(clock, cutoff)
    if kind == Class.WAITING:
        if repeated(clock):
            return False
        return clock.due is None or clock.stopped_at <= clock.due
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
# The clock fields of the dossier, read with the row: no other table is consulted.

CLOCK_FIELDS = (
    "pk",
    "received_at",
    "finished_at",
    "state",
    "statutory_due_at",
    "original_due_at",
    "due_at",
    "supplement_count",
    "clock_stopped_at",
    "apologised_at",
)


def judged_due(statutory_due_at, original_due_at=None, due_at=None):
    """The due instant timeliness is judged against: the statutory one (the original moved by
    the supplement clock, never by an apology); the original, or ``due_at``, for rows written
    before they were always recorded."""
    return statutory_due_at or original_due_at or due_at


def _clock(row: tuple) -> Clock:
    pk, received, finished, state, statutory, original, due, count, stopped, apologised = row
    return Clock(
        pk,
        received,
        finished,
        state,
        judged_due(statutory, original, due),
        count or 0,
        stopped,
        apologised is not None,
    )


def clock_at(cutoff: dt.datetime) -> dict:
    """``as_at`` as SQL annotations of dossier rows: ``at_due``, ``at_stopped`` and
    ``at_supplements`` — the clock fields as the last change before ``cutoff`` left them when
    the clock changed again after it, the fields themselves otherwise (a running period reads
    no history)."""
    before = ClockChange.objects.filter(dossier=OuterRef("pk"), at__lt=cutoff).order_by(
        "-at", "-pk"
    )
    moved = Q(Exists(ClockChange.objects.filter(dossier=OuterRef("pk"), at__gte=cutoff)))
    moved &= Q(Exists(before))

    def then(field: str, now, output):
        past = Subquery(before.values(field)[:1], output_field=output)
        return Case(When(moved, then=past), default=now, output_field=output)

    return {
        "at_due": then("statutory_due_at", JUDGED_DUE, models.DateTimeField()),
        "at_stopped": then("stopped_at", F("clock_stopped_at"), models.DateTimeField()),
        "at_supplements": then("supplement_count", F("supplement_count"), models.IntegerField()),
    }


def clock_now() -> dict:
    """``clock_at`` for a running period (cut-off *now*): the clock fields themselves, since
    every change recorded so far came before now — the same three annotations without the
    history's sub-queries, which PostgreSQL would otherwise plan (nine times over, once per use
    in ``open_counts``) and probe for every open dossier."""
    return {
        "at_due": JUDGED_DUE,
        "at_stopped": F("clock_stopped_at"),
        "at_supplements": F("supplement_count"),
    }


def open_counts(cutoff: dt.datetime) -> dict[str, Count]:
    """The open classes at ``cutoff`` as SQL counts over dossier rows received before it and not
    ended by then — ``_open_class`` and ``national_on_time`` written as conditions on the same
    clock fields, so a running period counts millions of open dossiers in one grouped query
    instead of loading them (``tests/test_timeliness`` and the facts tests hold both equal).
    The queryset must be annotated with ``clock_at(cutoff)`` (``clock_now()`` when the cut-off is
    now). Keys: ``open``, ``waiting``, ``overdue``, ``waiting_late`` (within time = open −
    waiting − overdue)."""
    waiting = Q(at_stopped__lt=cutoff)
    running = Q(at_stopped__isnull=True) | Q(at_stopped__gte=cutoff)  # SQL: NOT NULL is NULL
    repeated = Q(at_supplements__gt=1)
    return {
        "open": Count("pk"),
        "waiting": Count("pk", filter=waiting),
        "overdue": Count("pk", filter=running & (repeated | Q(at_due__lt=cutoff))),
        "waiting_late": Count("pk", filter=waiting & (repeated | Q(at_stopped__gt=F("at_due")))),
    }


#: ``judged_due`` as SQL, for ``clock_at``.
JUDGED_DUE = Coalesce("statutory_due_at", "original_due_at", "due_at")


def clocks(rows: Iterable[tuple], *, history: bool = True) -> Iterator[tuple[Clock, tuple]]:
    """``(Clock, extra)`` of each dossier row — ``values_list(*CLOCK_FIELDS, *extra)`` — with
    its history (``with_history``) unless ``history`` is false: a dossier whose processing has
    ended is judged by its last clock (no change follows the end), so ``finished_class`` needs
    none."""
    width = len(CLOCK_FIELDS)
    pairs = ((_clock(row[:width]), row[width:]) for row in rows)
    return with_history(pairs) if history else pairs


#: Dossiers whose history is read in one query.
CHUNK = 5000


def histories(dossier_ids: Iterable[int]) -> dict[int, tuple[ClockState, ...]]:
    """The clock changes of the dossiers, in order (one query)."""
    found: dict[int, list[ClockState]] = {}
    rows = ClockChange.objects.filter(dossier_id__in=list(dossier_ids)).order_by(
        "dossier_id", "at", "pk"
    )
    fields = ("dossier_id", "at", "statutory_due_at", "supplement_count", "stopped_at")
    for dossier_id, at, due, supplements, stopped in rows.values_list(*fields):
        found.setdefault(dossier_id, []).append(ClockState(at, due, supplements, stopped))
    return {dossier_id: tuple(states) for dossier_id, states in found.items()}


def with_history(pairs: Iterable[tuple[Clock, tuple]]) -> Iterator[tuple[Clock, tuple]]:
    """The clocks of ``pairs`` with their histories, read ``CHUNK`` dossiers at a time."""
    pairs = iter(pairs)
    while chunk := list(islice(pairs, CHUNK)):
        found = histories(clock.dossier_id for clock, _extra in chunk)
        for clock, extra in chunk:
            yield replace(clock, history=found.get(clock.dossier_id, ())), extra


def clock_of(dossier) -> Clock:
    """The ``Clock`` of one dossier instance, as it is now (no history: judged now)."""
    return _clock(tuple(getattr(dossier, name) for name in CLOCK_FIELDS))


def clock_with_history(dossier) -> Clock:
    """The ``Clock`` of one dossier instance with its history (``clock_changes``, prefetched by
    the caller for many), for judging it at any cut-off."""
    changes = sorted(dossier.clock_changes.all(), key=lambda change: (change.at, change.pk))
    history = tuple(
        ClockState(c.at, c.statutory_due_at, c.supplement_count, c.stopped_at) for c in changes
    )
    return replace(clock_of(dossier), history=history)


def clocks_of(queryset, *extra: str, history: bool = True) -> Iterator[tuple[Clock, tuple]]:
    """``(Clock, extra values)`` of every dossier of ``queryset``, with its history unless
    ``history`` is false (``clocks``; streamed)."""
    rows = queryset.order_by().values_list(*CLOCK_FIELDS, *extra).iterator(chunk_size=CHUNK)
    return clocks(rows, history=history)
