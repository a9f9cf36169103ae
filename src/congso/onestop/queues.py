"""Work queues of an official: which dossiers wait for them, as plain query functions.

Each queue is a condition on ``Dossier`` built from the units where the user acts as desk officer,
specialist or leader (the same rule as ``services._acts_at``: the unit of a position and the offices
inside it, never another locality), applied to ``services.visible_dossiers(user)``. The conditions
use indexed columns only (``state``, ``receiving_unit``, ``due_at``, the step's ``unit``/``state``)
so a unit's queue stays fast with a million dossiers; free-text search is a separate filter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.accounts import permissions
from congso.core.collation import sort_key
from congso.core.pagination import COUNT_CAP, capped_counts
from congso.core.periods import local_midnight
from congso.core.prepared import PreparedQuery
from congso.org.choices import LOCALITY_KINDS
from congso.worktime.services import one_working_day_after

from . import queue_counts, routing, services
from .lifecycle import Actor, State
from .models import Step, StepKind, StepState

if TYPE_CHECKING:
    from congso.org.models import Unit

#: States in which the statutory clock runs and a dossier can fall behind.
RUNNING = (State.RECEIVED, State.PROCESSING)
CODE_PATTERN = re.compile(r"^[\w.]+-\d{6}-\d{4}$")
ID_PATTERN = re.compile(r"^\d{9}$|^\d{12}$")


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    bulk: tuple[str, ...] = ()  # transitions offered for several dossiers at once


QUEUES = [
    Queue("to_receive", _("Chờ tiếp nhận"), ("accept",)),
    Queue("to_hand_over", _("Chờ chuyển xử lý"), ("start",)),
    Queue("to_process", _("Chờ xử lý"), ("forward",)),
    Queue("to_approve", _("Chờ phê duyệt"), ("forward", "approve")),
    Queue("due_soon", _("Sắp đến hạn (1 ngày làm việc)")),
    Queue("overdue", _("Quá hạn")),
    Queue("supplement", _("Chờ bổ sung")),
    Queue("to_return", _("Chờ trả kết quả"), ("return_result",)),
]
BY_KEY = {queue.key: queue for queue in QUEUES}
#: The queues counted on the dossiers (the clock's and the supplement one), not by the counter table.
LIVE = tuple(q.key for q in QUEUES if q.key not in queue_counts.COUNTED)


def acting_units(user, actor: str) -> list[int]:
    """Ids of the units where ``user`` acts as ``actor``: a position's unit and the offices inside
    it (its children that are not localities). Worked out once per request and actor from the
    units within the user's reach (``permissions.units_within_reach``, one query for them all):
    the eight queues of the desk page share them."""
    cache = getattr(user, "_onestop_acting_units", None)
    if cache is None:
        cache = user._onestop_acting_units = {}
    if actor not in cache:
        roles = services.ACTOR_ROLES[actor]
        held = {p.unit_id for p in permissions.held_positions(user) if p.role in roles}
        reached = permissions.units_within_reach(user) if held else []
        cache[actor] = [
            unit.pk
            for unit in reached
            if unit.pk in held or (unit.parent_id in held and unit.kind not in LOCALITY_KINDS)
        ]
    return cache[actor]


def _desk_positions(user) -> list:
    """The positions in which ``user`` serves as desk officer (read once per request)."""
    roles = services.ACTOR_ROLES[Actor.DESK]
    return [p for p in permissions.held_positions(user) if p.role in roles]


def receives(user) -> bool:
    """Does ``user`` receive dossiers anywhere? What the desk page's "receive" button asks: every
    desk position has a desk (``desk_units``), so the positions answer without reading a unit."""
    return bool(_desk_positions(user))


def desk_units(user) -> list[Unit]:
    """Where ``user`` receives dossiers: the one-stop desk of each locality they serve as desk
    officer (the locality itself when it has no separate desk), in name order."""
    units = {}
    for position in _desk_positions(user):
        unit = routing.intake_unit(position.unit.locality())
        units[unit.pk] = unit
    return sorted(units.values(), key=lambda u: sort_key(u.name))


@dataclass(frozen=True)
class Reach:
    """Whose queues, as data: the units where the official acts as desk officer, specialist and
    leader, their key, and the instants the clock's queues compare with (``now``, and ``soon``, one
    working day later). Values for a request, or ``core.prepared`` markers: a queue's SQL does not
    depend on how many units an official holds, so it is compiled once for every official."""

    desk: list[int]
    specialist: list[int]
    leader: list[int]
    user_id: int
    now: dt.datetime
    soon: dt.datetime

    def units(self, actor: str) -> list[int]:
        return {Actor.DESK: self.desk, Actor.SPECIALIST: self.specialist}.get(actor, self.leader)


def reach(user, key: str, now: dt.datetime) -> Reach:
    """``user``'s reach at ``now``; the calendar is asked for "due soon"'s limit only for that
    queue (any instant serves the others, whose SQL does not carry it)."""
    soon = due_soon_limit(user, now) if key == "due_soon" else now
    units = {actor: acting_units(user, actor) for actor in services.ACTOR_ROLES}
    return Reach(
        units[Actor.DESK], units[Actor.SPECIALIST], units[Actor.LEADER], user.pk, now, soon
    )


def _active_steps(reach: Reach, actor: str):
    steps = Step.objects.filter(
        state=StepState.ACTIVE, kind=StepKind.MAIN, actor=actor, unit_id__any=reach.units(actor)
    )
    if actor == Actor.SPECIALIST:
        steps = steps.filter(Q(assignee__isnull=True) | Q(assignee_id=reach.user_id))
    return steps.values("dossier_id")


def _at_desk(reach: Reach, field: str = "current_unit_id") -> Q:
    """Dossiers sitting at the user's desk (``current_unit``, covered by the index on
    ``current_unit, state, due_at``), or received there (``receiving_unit``)."""
    return Q(**{f"{field}__any": reach.desk})


def _my_steps(reach: Reach) -> Q:
    return Q(pk__in=_active_steps(reach, Actor.SPECIALIST)) | Q(
        pk__in=_active_steps(reach, Actor.LEADER)
    )


def _mine(reach: Reach) -> Q:
    """Dossiers on the user's desk or at their active step (the basis of the deadline queues)."""
    return _at_desk(reach) | _my_steps(reach)


def due_soon_limit(user, now: dt.datetime) -> dt.datetime:
    """One working day of office time from ``now``, on the calendar of the user's first unit."""
    positions = permissions.held_positions(user)
    return one_working_day_after(now, positions[0].unit if positions else None)


def condition(reach: Reach, key: str) -> Q:
    """The condition of queue ``key`` for ``reach``."""
    if key == "to_receive":
        return Q(state=State.NEW) & _at_desk(reach)
    if key == "to_hand_over":
        return Q(state=State.RECEIVED) & _at_desk(reach)
    if key == "to_process":
        return Q(state=State.PROCESSING, pk__in=_active_steps(reach, Actor.SPECIALIST))
    if key == "to_approve":
        return Q(state=State.PROCESSING, pk__in=_active_steps(reach, Actor.LEADER))
    if key == "due_soon":
        window = Q(due_at__gte=reach.now, due_at__lte=reach.soon)
        return Q(state__in=RUNNING) & window & _mine(reach)
    if key == "overdue":
        return Q(state__in=RUNNING, due_at__lt=reach.now) & _mine(reach)
    if key == "supplement":
        # the desk records what the applicant brings, wherever the dossier is being processed
        at_desk = _at_desk(reach, "receiving_unit_id")
        return Q(state=State.SUPPLEMENT_REQUESTED) & (at_desk | _my_steps(reach))
    if key == "to_return":
        return Q(state=State.PROCESSED) & _at_desk(reach)
    raise KeyError(key)


def _urgent_first(dossiers):
    return dossiers.order_by(F("due_at").asc(nulls_last=True), "id")


def queue(user, key: str, *, now: dt.datetime | None = None):
    """The dossiers of queue ``key`` for ``user``, the most urgent first."""
    return _urgent_first(
        services.visible_dossiers(user).filter(
            condition(reach(user, key, now or timezone.now()), key)
        )
    )


def shown(dossiers):
    """``dossiers`` as the queue table shows them (``views._row``, ``queue_rows``): a named tuple
    of ``ROW_FIELDS`` per dossier, the procedure's and the current unit's names joined in. Not
    model instances: three per row (the dossier, its procedure and unit, their fields deferred)
    were a tenth of a desk page's CPU (issue 16); the declaration, the search texts and a dozen
    instants are left unread."""
    return dossiers.values_list(*ROW_FIELDS, named=True)


#: The columns of a queue table's row.
ROW_FIELDS = (
    "pk",
    "code",
    "revision",
    "channel",
    "filed_at",
    "applicant_name",
    "state",
    "due_at",
    "timeliness",
    "procedure__name",
    "current_unit__name",
)


class PreparedQueue:
    """Queue ``key`` of ``user`` at ``now`` as a paginator's list: a page's rows and the capped
    count each one query compiled once per process for every official (``core.prepared``; the
    units are values of the SQL, ``core.lookups``), instead of a queryset built and compiled on
    every request. The same rows as ``shown(queue(user, key))``: ``test_prepared_queue``."""

    def __init__(self, user, key: str, now: dt.datetime, per_page: int):
        self.per_page = per_page
        self.sees = services.sight(user)
        at = reach(user, key, now)
        views = services.view_unit_ids(user)
        self.key = key
        self.values = (at.desk, at.specialist, at.leader, views, user.pk, now, at.soon)

    def __getitem__(self, page: slice) -> list:
        start = page.start or 0
        rows = _prepared(self.key, self.sees, start, start + self.per_page).rows(*self.values)
        return rows[: page.stop - start]

    def capped_count(self, cap: int) -> int:
        return _prepared(self.key, self.sees, 0, cap + 1, counted=True).count(*self.values)


#: A queue's prepared queries by (queue, visibility, slice, counted): at most 8 × 3 × the pages a
#: capped count offers, each compiled on first use.
_PREPARED: dict[tuple, PreparedQuery] = {}


def _prepared(key: str, sees: str, start: int, stop: int, counted: bool = False) -> PreparedQuery:
    shape = (key, sees, start, stop, counted)
    if shape not in _PREPARED:

        def build(desk, specialist, leader, views, user_id, now, soon):
            at = Reach(desk, specialist, leader, user_id, now, soon)
            dossiers = services.seen_as(sees, views, user_id)
            dossiers = dossiers.filter(condition(at, key))
            rows = dossiers.order_by().values("pk") if counted else shown(_urgent_first(dossiers))
            return rows[start:stop]

        _PREPARED[shape] = PreparedQuery(
            build, kinds=(list, list, list, list, int, dt.datetime, dt.datetime)
        )
    return _PREPARED[shape]


def counts(user, *, now: dt.datetime | None = None, fresh: str = "") -> dict[str, int]:
    """How many dossiers each queue holds for ``user``, capped alike (``capped_count``: above
    ``COUNT_CAP`` means "more than"). The queues of a state or a step are read from the counter
    table (``queue_counts``, one query); those of the clock and the supplement queue are counted
    on running dossiers only, together in one more query (``capped_counts``), and kept a minute
    (``queue_counts.live``) but the queue ``fresh``, counted again."""
    now = now or timezone.now()
    units = {actor: acting_units(user, actor) for actor in set(queue_counts.COUNTED.values())}
    counted = {
        key: min(n, COUNT_CAP + 1) for key, n in queue_counts.for_user(units, user.pk).items()
    }

    def count_live(keys: tuple[str, ...]) -> dict[str, int]:
        found = capped_counts([queue(user, key, now=now) for key in keys])
        return dict(zip(keys, found, strict=True))

    counted |= queue_counts.live(user, count_live, LIVE, fresh)
    return {q.key: counted[q.key] for q in QUEUES}


def search(dossiers, text: str):
    """Diacritic-insensitive search by code, applicant's name or ID (``search_text`` is folded).

    A whole code (in any case) or a whole personal ID uses its index; other text must contain
    every word.
    """
    from congso.core.text import fold, tokens

    text = (text or "").strip()
    if not text:
        return dossiers
    if CODE_PATTERN.match(text):
        # codes are upper case (``rules.dossier_code`` of an agency ID, ``AGENCY_ID_VALIDATOR``):
        # compared as typed, upper-cased, the unique index answers; ``iexact`` read every row
        return dossiers.filter(code=text.upper())
    if ID_PATTERN.match(text):
        return dossiers.filter(applicant_id_number=text)
    words = tokens(text) or [fold(text)]
    for word in words:
        dossiers = dossiers.filter(search_text__contains=word)
    return dossiers


def apply_filters(dossiers, filters: dict):
    """Filters of the queue page: procedure, sector, state, channel and the filing dates."""
    if filters.get("procedure"):
        dossiers = dossiers.filter(procedure=filters["procedure"])
    if filters.get("sector"):
        dossiers = dossiers.filter(procedure__sector=filters["sector"])
    if filters.get("status"):
        dossiers = dossiers.filter(state=filters["status"])
    if filters.get("channel"):
        dossiers = dossiers.filter(channel=filters["channel"])
    if filters.get("received_from"):
        dossiers = dossiers.filter(filed_at__gte=local_midnight(filters["received_from"]))
    if filters.get("received_to"):
        end = local_midnight(filters["received_to"]) + dt.timedelta(days=1)
        dossiers = dossiers.filter(filed_at__lt=end)
    return search(dossiers, filters.get("q", ""))


def all_visible(user):
    """Every dossier ``user`` may see (the search across queues), the newest first."""
    return services.visible_dossiers(user).order_by("-filed_at", "-id")


def frequent_procedures(unit, *, now: dt.datetime | None = None, limit: int = 6) -> list[dict]:
    """The procedures the desk of ``unit`` received most over the last 90 days (code, name), so
    the busiest counters start a receipt in one click instead of searching the catalogue."""
    since = (now or timezone.now()) - dt.timedelta(days=90)
    rows = (
        services.dossiers()
        .filter(receiving_unit=unit, channel="desk", filed_at__gte=since)
        .values("procedure__code", "procedure__name")
        .annotate(n=Count("id"))
        .order_by("-n", "procedure__code")[:limit]
    )
    return [{"code": r["procedure__code"], "name": r["procedure__name"]} for r in rows]
