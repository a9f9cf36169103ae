"""The work queues' counts as data: one ``QueueCount`` row per (queue, unit, assignee).

Counting a queue reads its dossiers; with a province's years of history behind the open ones, the
desk page's tabs were its slowest part. A dossier sits in at most one counted queue slot at a time
(the desk's queues by its state and ``current_unit``; "to process" and "to approve" by its active
main step's unit and assignee), so the service shifts one count from the old slot to the new in
the transaction that changes the dossier (``shift``), and a nightly job (``reconcile``) compares
every row with a recount and repairs any drift (a reorganisation, a hand-made SQL fix).

The queues that depend on the clock ("due soon", "overdue") and the supplement queue (an OR of the
receiving desk and the step, which a sum of slots would count twice) are capped counts of running
dossiers on their indexes (``queues.counts``), kept per official like the header's counts
(``live``): they move with the clock as much as with work, so a tab's figure may be a minute old,
except after the official's own action and on the queue on screen, counted afresh.
"""

from collections import Counter
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import Count

from congso.core import audit, headcount
from congso.core.prepared import PreparedQuery

from .lifecycle import Actor, State
from .models import Dossier, QueueCount, Step, StepKind, StepState

#: The cache name of an official's clock and supplement counts (``core.headcount``).
LIVE = "onestop-queues"


def live(
    user, count: Callable[[tuple[str, ...]], dict[str, int]], keys: tuple[str, ...], fresh: str = ""
) -> dict[str, int]:
    """``user``'s clock and supplement counts (``keys``) as ``count`` counts them, kept for
    ``CONGSO_INBOX_COUNT_SECONDS``: one cache read on most pages instead of a query that builds
    three queue conditions. The queue ``fresh`` (the one the official opened) is counted again;
    the others are kept."""
    kept = headcount.kept(LIVE, user)
    if kept is None or set(kept) != set(keys):
        kept = count(keys)
    elif fresh in keys:
        kept = kept | count((fresh,))
    else:
        return kept
    headcount.remember(LIVE, user, kept)
    return kept


def keep_live(user, counts: dict[str, int]) -> None:
    """Keep ``counts`` (all of ``live``'s keys) as ``user``'s: the queue page that counted the
    opened queue with its own rows' query (``live`` asked for no ``fresh`` count) keeps that
    figure with the others."""
    headcount.remember(LIVE, user, counts)


def forget_live(user_ids) -> None:
    """Forget the kept counts of ``user_ids`` once the transaction commits: the official who
    acted, and whoever the dossier now waits for."""
    for user_id in set(user_ids) - {None}:
        transaction.on_commit(lambda user_id=user_id: headcount.forget(LIVE, user_id))


#: The desk's queues counted by state at the dossier's current unit.
DESK_QUEUES = {
    State.NEW: "to_receive",
    State.RECEIVED: "to_hand_over",
    State.PROCESSED: "to_return",
}
#: The step queues counted by the active main step's actor.
STEP_QUEUES = {Actor.SPECIALIST: "to_process", Actor.LEADER: "to_approve"}
#: Every queue this table counts, each with the actor whose units it is read for.
COUNTED = {
    "to_receive": Actor.DESK,
    "to_hand_over": Actor.DESK,
    "to_return": Actor.DESK,
    "to_process": Actor.SPECIALIST,
    "to_approve": Actor.LEADER,
}

Slot = tuple[str, int, int]  # (queue, unit id, assignee id or 0)
#: Add to a slot's count, creating its row (PostgreSQL and SQLite alike: ``ON CONFLICT``).
UPSERT = (
    "INSERT INTO onestop_queuecount (queue, unit_id, assignee_id, count) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (queue, unit_id, assignee_id) "
    "DO UPDATE SET count = onestop_queuecount.count + excluded.count"
)


def slots(dossier: Dossier) -> Counter:
    """The counted queue slots ``dossier`` occupies now (read from the database for its steps,
    so call it inside the transaction, before and after the change)."""
    if dossier.state in DESK_QUEUES:
        return Counter({(DESK_QUEUES[dossier.state], dossier.current_unit_id, 0): 1})
    if dossier.state != State.PROCESSING:
        return Counter()
    active = Step.objects.filter(
        dossier_id=dossier.pk,
        state=StepState.ACTIVE,
        kind=StepKind.MAIN,
        actor__in=list(STEP_QUEUES),
    ).values_list("actor", "unit_id", "assignee_id")
    return Counter(_step_slot(actor, unit, assignee) for actor, unit, assignee in active)


def _step_slot(actor: str, unit_id: int, assignee_id: int | None) -> Slot:
    # a leader's step is approved by whoever leads the unit: not counted per assignee
    who = (assignee_id or 0) if actor == Actor.SPECIALIST else 0
    return (STEP_QUEUES[actor], unit_id, who)


def shift(before: Counter, after: Counter) -> None:
    """Move the counts from the slots ``before`` to the slots ``after`` (both from ``slots``), in
    the caller's transaction: an upsert per changed slot, nothing when the slots are the same.

    Filing a dossier writes the audit log and then its count; a transition shifts the count and
    then writes the audit log. The audit chain's lock is taken first here, so both paths take
    the two locks in one order (no deadlock between a filing and an acceptance at one desk)."""
    delta = Counter(after)
    delta.subtract(before)
    changed = [(slot, n) for slot, n in delta.items() if n]
    if not changed:
        return
    audit.serialise_writers()
    with connection.cursor() as cursor:
        for (queue, unit_id, assignee_id), n in sorted(changed):
            cursor.execute(UPSERT, [queue, unit_id, assignee_id, n])


def recount() -> Counter:
    """Every counted slot recomputed from the dossiers and their steps (the open ones only)."""
    found: Counter = Counter()
    by_desk = (
        Dossier.objects.filter(state__in=list(DESK_QUEUES))
        .values_list("state", "current_unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for state, unit_id, n in by_desk:
        found[(DESK_QUEUES[state], unit_id, 0)] += n
    by_step = (
        Step.objects.filter(
            state=StepState.ACTIVE,
            kind=StepKind.MAIN,
            actor__in=list(STEP_QUEUES),
            dossier__state=State.PROCESSING,
        )
        .values_list("actor", "unit_id", "assignee_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for actor, unit_id, assignee_id, n in by_step:
        found[_step_slot(actor, unit_id, assignee_id)] += n
    return found


def reconcile() -> int:
    """Make the table equal to a recount; return how many rows were wrong. The table is locked
    meanwhile (PostgreSQL) so that no transition shifts a count between the two readings; the
    audit chain's lock is taken before it, in the order every transition takes them."""
    with transaction.atomic():
        audit.serialise_writers()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE onestop_queuecount IN EXCLUSIVE MODE")
        truth = recount()
        stored = {
            (row.queue, row.unit_id, row.assignee_id): row for row in QueueCount.objects.all()
        }
        wrong = 0
        for slot, row in stored.items():
            if row.count != truth.get(slot, 0):
                wrong += 1
                if truth.get(slot, 0):
                    row.count = truth[slot]
                    row.save(update_fields=["count"])
                else:
                    row.delete()
        missing = [slot for slot, n in truth.items() if n and slot not in stored]
        QueueCount.objects.bulk_create(
            QueueCount(queue=q, unit_id=u, assignee_id=a, count=truth[(q, u, a)])
            for q, u, a in missing
        )
    return wrong + len(missing)


#: The counted queues' rows of some units, for nobody or one assignee: compiled once.
_SLOTS = PreparedQuery(
    lambda unit_ids, user_id: QueueCount.objects.filter(
        queue__in=list(COUNTED), unit_id__any=unit_ids, assignee_id__in=[0, user_id]
    ).values_list("queue", "unit_id", "count"),
    kinds=(list, int),
)


def for_user(units: dict[str, list[int]], user_id: int) -> dict[str, int]:
    """The counted queues of a user who acts as each actor at ``units[actor]`` (unit ids): one
    query over the table, summed per queue (a specialist sees the steps assigned to nobody or to
    them)."""
    totals = dict.fromkeys(COUNTED, 0)
    wanted = {(queue, unit) for queue, actor in COUNTED.items() for unit in units.get(actor, [])}
    if not wanted:
        return totals
    for queue, unit_id, count in _SLOTS.rows(sorted({unit for _, unit in wanted}), user_id):
        if (queue, unit_id) in wanted:
            totals[queue] += count
    return totals
