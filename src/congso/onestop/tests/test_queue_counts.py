"""The work queues' counter table stays equal to a recount whatever the service does, and the
desk's tabs read it (issue 16: the desk page costs the same at ten million dossiers)."""

import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congso.catalog.models import Procedure
from congso.onestop import queue_counts, queues, services
from congso.onestop.models import QueueCount

from .conftest import monday_morning


def _stored() -> dict:
    return {
        (row.queue, row.unit_id, row.assignee_id): row.count
        for row in QueueCount.objects.all()
        if row.count
    }


def _live(user, now) -> dict:
    """The counted queues counted from the dossiers, as the desk did before the table."""
    return {key: queues.queue(user, key, now=now).count() for key in queue_counts.COUNTED}


PAYLOAD = {
    "note": "Lý do thử",
    "items": ["Giấy chứng sinh"],
    "documents": [services.ReceivedDocument(required_document_id=None, name="Giấy chứng sinh")],
    "id_checked": True,
    "returned_to": "Người nộp",
}


@pytest.mark.parametrize("seed", [1, 2])
def test_counter_equals_recount_after_random_transitions(demo, intake_for, seed):
    units, people = demo["units"], demo["people"]
    officials = [
        people[name] for name in ("motcua.nghilong", "congchuc.nghilong", "lanhdao.nghilong")
    ]
    commune = units["Xã Nghi Long"]
    procedures = list(Procedure.objects.filter(code__in=["1.001193", "1.004873"]))
    chance = random.Random(seed)
    now = monday_morning()
    dossiers = [
        services.receive_at_desk(
            officials[0], intake_for(chance.choice(procedures), commune), now=now
        )
        for _ in range(4)
    ]
    moved = 0
    for tick in range(60):
        now += dt.timedelta(minutes=7)
        dossier = services.dossiers().get(pk=chance.choice(dossiers).pk)
        user = chance.choice(officials)
        offered = services.allowed_transitions(user, dossier)
        if not offered:
            continue
        name = chance.choice(offered).name
        try:
            services.transition(dossier, name, actor=user, now=now, **PAYLOAD)
            moved += 1
        except (ValidationError, PermissionDenied):
            pass  # refused with nothing written: the counts must not move either
        assert _stored() == {slot: n for slot, n in queue_counts.recount().items() if n}, tick
    assert moved >= 6  # the walk did move dossiers between queues
    for user in officials:
        shown = queues.counts(user, now=now)
        assert {key: shown[key] for key in queue_counts.COUNTED} == _live(user, now)


def test_a_step_assigned_to_a_colleague_is_counted_for_them_only(demo, intake_for, official_at):
    from congso.accounts.models import Role

    units, people = demo["units"], demo["people"]
    commune = units["Xã Nghi Long"]
    desk, clerk = people["motcua.nghilong"], people["congchuc.nghilong"]
    colleague = official_at(commune, Role.SPECIALIST)
    now = monday_morning()
    birth = Procedure.objects.get(code="1.001193")
    dossier = services.receive_at_desk(desk, intake_for(birth, commune), now=now)
    services.transition(dossier, "start", actor=desk, assignee=colleague.pk, now=now)
    assert queues.counts(colleague, now=now)["to_process"] == 1
    assert queues.counts(clerk, now=now)["to_process"] == 0


def test_reconcile_repairs_drift_and_says_how_many_rows(demo, intake_for):
    units, people = demo["units"], demo["people"]
    commune, desk = units["Xã Nghi Long"], people["motcua.nghilong"]
    birth = Procedure.objects.get(code="1.001193")
    services.receive_at_desk(desk, intake_for(birth, commune), now=monday_morning())
    assert queue_counts.reconcile() == 0
    QueueCount.objects.filter(queue="to_hand_over").update(count=7)
    QueueCount.objects.create(queue="to_return", unit=commune, count=3)
    assert queue_counts.reconcile() == 2
    assert _stored() == {("to_hand_over", commune.pk, 0): 1}
    assert queues.counts(desk)["to_hand_over"] == 1
