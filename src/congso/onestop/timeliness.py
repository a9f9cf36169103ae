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

Only the dossier's clock fields are read (``CLOCK_FIELDS``: one row, no other table). The price
of one source of truth: a cut-off in the past is judged with the clock as it stands now — a
wait that has since ended is no longer visible at that cut-off (the dossier is within time or
overdue against the moved statutory due), and a second request counts late from receipt on.
The daily facts are written each night from the clock of that day and their snapshots are
kept afterwards (a dossier change recomputes flows, not past snapshots: ``dashboard.store``), so
reports of ended periods keep what the clock said then; the raw aggregation, the index's
drill-down lists of an ended period and a full recompute of old days apply today's clock.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
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
    """What timeliness is judged from, for one dossier: its clock fields, nothing else (the
    supplement clock keeps them — ``services._stop_clock`` / ``_resume_clock`` — so there is one
    source of truth; supplement requests and events are history, not inputs)."""

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
    when it does not count. A dossier waiting for the citizen ends at its request (on time if
    the clock stopped before the due instant); a second request counts late."""
    kind = classify(clock, cutoff)
    if kind is None:
        return None
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


def open_counts(cutoff: dt.datetime) -> dict[str, Count]:
    """The open classes at ``cutoff`` as SQL counts over dossier rows received before it and not
    ended by then — ``_open_class`` and ``national_on_time`` written as conditions on the same
    clock fields, so a running period counts millions of open dossiers in one grouped query
    instead of loading them (``tests/test_timeliness`` and the facts tests hold both equal).
    The queryset must be annotated with ``judged_due`` (``JUDGED_DUE``). Keys: ``open``,
    ``waiting``, ``overdue``, ``waiting_late`` (within time = open − waiting − overdue)."""
    waiting = Q(clock_stopped_at__lt=cutoff)
    repeated = Q(supplement_count__gt=1)
    return {
        "open": Count("pk"),
        "waiting": Count("pk", filter=waiting),
        "overdue": Count("pk", filter=~waiting & (repeated | Q(judged_due__lt=cutoff))),
        "waiting_late": Count(
            "pk", filter=waiting & (repeated | Q(clock_stopped_at__gt=F("judged_due")))
        ),
    }


#: ``judged_due`` as SQL, for ``open_counts``.
JUDGED_DUE = Coalesce("statutory_due_at", "original_due_at", "due_at")


def clocks(rows: Iterable[tuple]) -> Iterator[tuple[Clock, tuple]]:
    """``(Clock, extra)`` of each dossier row — ``values_list(*CLOCK_FIELDS, *extra)``."""
    width = len(CLOCK_FIELDS)
    for row in rows:
        yield _clock(row[:width]), row[width:]


def clock_of(dossier) -> Clock:
    """The ``Clock`` of one dossier instance."""
    return _clock(tuple(getattr(dossier, name) for name in CLOCK_FIELDS))


def clocks_of(queryset, *extra: str) -> Iterator[tuple[Clock, tuple]]:
    """``(Clock, extra values)`` of every dossier of ``queryset`` (one streamed query)."""
    rows = queryset.order_by().values_list(*CLOCK_FIELDS, *extra).iterator(chunk_size=5000)
    return clocks(rows)
