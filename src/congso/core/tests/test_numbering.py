import threading

import pytest
from django.db import connection, connections, transaction

from congso.core.numbering import next_value


@pytest.mark.django_db
def test_sequence_is_consecutive_and_per_key():
    with transaction.atomic():
        assert [next_value("a") for _ in range(3)] == [1, 2, 3]
        assert next_value("b") == 1


@pytest.mark.django_db
def test_rolled_back_number_is_given_back():
    with transaction.atomic():
        next_value("k")
    try:
        with transaction.atomic():
            assert next_value("k") == 2
            raise RuntimeError("the caller failed after taking its number")
    except RuntimeError:
        pass
    with transaction.atomic():
        assert next_value("k") == 2


@pytest.mark.django_db(transaction=True)
def test_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        next_value("x")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_distinct_consecutive_numbers(require_postgres):
    """40 threads, each in its own transaction and connection: 1…40, no gap, no duplicate."""
    got, errors = [], []
    barrier = threading.Barrier(40)

    def worker():
        try:
            barrier.wait()
            with transaction.atomic():
                got.append(next_value("concurrent"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(got) == list(range(1, 41))
    assert connection.vendor == "postgresql"
