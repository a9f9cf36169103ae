"""Concurrency on PostgreSQL: 40 receipts at one desk at once get 40 consecutive codes; two
officials acting on one dossier at the same moment: one wins, the other is told, nothing is
applied twice; a filing and an acceptance at one desk never deadlock."""

import datetime as dt
import threading
import time
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from congso.accounts.models import Role, User
from congso.catalog.models import Procedure
from congso.core import audit
from congso.onestop import queue_counts, services
from congso.onestop.models import Dossier, Event, QueueCount
from congso.org.tests.factories import UnitFactory

from .conftest import VN

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

#: A working Monday with no demo history, so the desk's counter for the day starts at zero.
DAY = dt.datetime(2027, 3, 8, 8, 0, tzinfo=VN)


def run_together(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released at the same instant by a barrier; each
    thread closes its own database connection. Returns each result or the exception raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def body(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is stuck"
    return results


def test_forty_desk_receipts_at_once_get_forty_consecutive_codes(
    require_postgres, demo, intake_for
):
    commune = demo["units"]["Xã Nghi Long"]
    birth = Procedure.objects.get(code="1.001193")
    desk_id = demo["people"]["motcua.nghilong"].pk
    intakes = [intake_for(birth, commune) for _ in range(40)]

    def receive(i):
        return services.receive_at_desk(User.objects.get(pk=desk_id), intakes[i], now=DAY).code

    codes = run_together(40, receive)
    failures = [c for c in codes if isinstance(c, Exception)]
    assert not failures, failures
    prefix = f"{commune.agency_id}-270308-"
    assert sorted(codes) == [f"{prefix}{n:04d}" for n in range(1, 41)]
    assert Dossier.objects.filter(code__startswith=prefix).count() == 40


@pytest.fixture
def started(demo, intake_for):
    commune = demo["units"]["Xã Nghi Long"]
    desk = demo["people"]["motcua.nghilong"]
    procedure = Procedure.objects.get(code="1.004873")
    dossier = services.receive_at_desk(desk, intake_for(procedure, commune), now=DAY)
    return services.transition(dossier, "start", actor=desk, now=DAY + dt.timedelta(minutes=5))


def _two_officials(demo, official_at):
    second = official_at(demo["units"]["Xã Nghi Long"], Role.DESK_OFFICER)
    return [demo["people"]["motcua.nghilong"].pk, second.pk]


def test_two_officials_at_once_with_the_same_revision_one_wins(
    require_postgres, demo, started, official_at
):
    officials = _two_officials(demo, official_at)
    seen = started.revision
    events_before = Event.objects.filter(dossier=started).count()
    actions = [
        ("request_supplement", {"items": ["Tờ khai"], "note": "Thiếu chữ ký"}),
        ("withdraw", {"note": "Công dân rút hồ sơ"}),
    ]

    def act(i):
        name, payload = actions[i]
        user = User.objects.get(pk=officials[i])
        dossier = Dossier.objects.get(pk=started.pk)
        return services.transition(dossier, name, actor=user, revision=seen, **payload).state

    results = run_together(2, act)
    winners = [r for r in results if isinstance(r, str)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], services.Conflict)
    assert "vừa được người khác cập nhật" in str(losers[0])
    dossier = Dossier.objects.get(pk=started.pk)
    assert dossier.state == winners[0] and dossier.revision == seen + 1
    assert Event.objects.filter(dossier=started).count() == events_before + 1


def test_two_officials_at_once_without_revision_the_second_is_refused(
    require_postgres, demo, started, official_at
):
    officials = _two_officials(demo, official_at)
    events_before = Event.objects.filter(dossier=started).count()

    def act(i):
        user = User.objects.get(pk=officials[i])
        dossier = Dossier.objects.get(pk=started.pk)
        return services.transition(dossier, "withdraw", actor=user, note="Rút hồ sơ").state

    results = run_together(2, act)
    winners = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, PermissionDenied)]
    assert len(winners) == 1 and len(refused) == 1, results
    refused = refused[0]
    assert "Không thể “Rút hồ sơ”" in str(refused)
    assert Dossier.objects.get(pk=started.pk).state == "withdrawn"
    assert Event.objects.filter(dossier=started).count() == events_before + 1


def test_a_filing_and_an_acceptance_at_one_desk_do_not_deadlock(require_postgres):
    """Filing writes the audit log, then adds to the desk's "to receive" count; accepting takes
    from that count, then writes the audit log. Interleaved at the worst moment (the acceptance
    has shifted the count, the filing is about to write the audit log), the two used to hold
    one lock each and wait for the other's until PostgreSQL killed one as a deadlock."""
    unit = UnitFactory()
    slot = ("to_receive", unit.pk, 0)
    QueueCount.objects.create(queue=slot[0], unit=unit, assignee_id=0, count=1)
    accepted, filing = threading.Event(), threading.Event()

    def accept():
        with transaction.atomic():
            queue_counts.shift(Counter({slot: 1}), Counter())
            accepted.set()
            filing.wait(timeout=10)
            time.sleep(0.5)  # the filing reaches its audit write (before: took the chain)
            audit.record("test.accept", object_type="onestop.dossier", object_id="1")

    def file():
        accepted.wait(timeout=10)
        with transaction.atomic():
            filing.set()
            audit.record("test.file", object_type="onestop.dossier", object_id="2")
            queue_counts.shift(Counter(), Counter({slot: 1}))

    results = run_together(2, lambda i: (accept, file)[i]())
    assert results == [None, None], results
    assert QueueCount.objects.get(queue=slot[0], unit=unit).count == 1
    assert not audit.verify()
