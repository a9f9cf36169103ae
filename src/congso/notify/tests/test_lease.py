"""Leases: a claimed row is nobody else's until its lease runs out; then it is claimed again."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from congso.notify.channels import Senders
from congso.notify.models import Notification, Status
from congso.notify.services import _deliver, claim, drain, notify


def _queue(n: int) -> list[int]:
    return [
        notify(f"nguoi{i}@example.vn", "generic", {"subject": f"Thư {i}", "body": "b"})[0].pk
        for i in range(n)
    ]


@pytest.mark.django_db
def test_a_claimed_row_is_not_claimed_again_while_its_lease_lasts():
    _queue(1)
    [row] = claim(batch=10, lease=300)
    assert row.status == Status.SENDING and row.attempts == 1
    assert row.locked_until > timezone.now()
    assert claim(batch=10) == []


@pytest.mark.django_db
def test_expired_lease_is_claimed_again_and_sent(smtp_settings):
    """A worker claimed the row and died before sending: after the lease the row goes out."""
    [pk] = _queue(1)
    claim(batch=10, lease=300)  # the worker that dies
    assert drain().claimed == 0
    Notification.objects.filter(pk=pk).update(locked_until=timezone.now())  # the lease runs out
    result = drain()
    assert (result.claimed, result.sent) == (1, 1)
    row = Notification.objects.get(pk=pk)
    assert row.status == Status.SENT and row.attempts == 2
    assert len(smtp_settings.messages) == 1


@pytest.mark.django_db
def test_a_worker_whose_lease_was_taken_over_records_nothing(smtp_settings):
    """The slow worker's claim (attempt 1) lost to a new claim (attempt 2): it must not send,
    and it must not overwrite the new worker's state."""
    [pk] = _queue(1)
    [stale] = claim(batch=10, lease=300)
    Notification.objects.filter(pk=pk).update(locked_until=timezone.now())
    [fresh] = claim(batch=10, lease=300)
    assert (stale.attempts, fresh.attempts) == (1, 2)
    outcome = _deliver(stale, Senders(), lease=300)
    assert outcome.lost_lease == 1 and smtp_settings.messages == []
    row = Notification.objects.get(pk=pk)
    assert row.status == Status.SENDING and row.attempts == 2


@pytest.mark.django_db
def test_rows_a_crashed_worker_left_count_towards_max_attempts(settings, smtp_settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    [pk] = _queue(1)
    for _ in range(2):
        claim(batch=1, lease=300)
        Notification.objects.filter(pk=pk).update(locked_until=timezone.now())
    smtp_settings.refused.add("nguoi0@example.vn")
    assert drain().dead == 1  # third claim, beyond the maximum: given up on first failure
    assert Notification.objects.get(pk=pk).attempts == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_claim_disjoint_rows():
    """Two workers claiming at the same moment never get the same row (PostgreSQL: SKIP LOCKED;
    SQLite: serialised writers)."""
    ids = set(_queue(40))
    barrier = threading.Barrier(2)
    claimed: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def worker(slot: int) -> None:
        try:
            barrier.wait()
            claimed[slot] = [row.pk for row in claim(batch=25, lease=300)]
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    first, second = set(claimed[0]), set(claimed[1])
    assert first.isdisjoint(second)
    assert first | second == ids
    assert sorted([len(first), len(second)]) == [15, 25]
    assert Notification.objects.filter(status=Status.SENDING, attempts=1).count() == 40


@pytest.mark.django_db(transaction=True)
def test_postgres_worker_skips_rows_another_worker_is_claiming(require_postgres):
    """Worker A has locked its rows and not committed yet; worker B does not wait for it
    (``SKIP LOCKED``) and takes the other rows."""
    ids = set(_queue(40))
    a_has_claimed, b_is_done = threading.Event(), threading.Event()
    seen: dict = {}

    def worker_a() -> None:
        try:
            with transaction.atomic():
                seen["a"] = {row.pk for row in claim(batch=25, lease=300)}
                a_has_claimed.set()
                seen["b_finished_while_a_held_locks"] = b_is_done.wait(10)
        finally:
            connection.close()

    def worker_b() -> None:
        try:
            a_has_claimed.wait(10)
            seen["b"] = {row.pk for row in claim(batch=25, lease=300)}
        finally:
            b_is_done.set()
            connection.close()

    threads = [threading.Thread(target=worker_a), threading.Thread(target=worker_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert seen["b_finished_while_a_held_locks"] is True
    assert len(seen["a"]) == 25 and len(seen["b"]) == 15
    assert seen["a"] | seen["b"] == ids
