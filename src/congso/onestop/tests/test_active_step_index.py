"""The "to process" and "to approve" queues and their counts read an actor's active main steps
at the official's units from a partial index of those steps alone (``onestop_step_active_main``):
the steps of open dossiers, whatever the length of the history (and, once the table's pages are
all visible, without a visit to it: the index holds every column the queues read)."""

import datetime as dt

from django.db import connection

from congso.accounts.models import User
from congso.onestop import queues
from congso.onestop.lifecycle import Actor

NOW = dt.datetime(2026, 11, 11, 2, 0, tzinfo=dt.UTC)


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_steps_of_the_queues_are_read_from_the_partial_index(require_postgres, demo):
    leader = User.objects.get(username="lanhdao.nghiloc")
    at = queues.reach(leader, "to_approve", NOW)
    for actor in (Actor.LEADER, Actor.SPECIALIST):
        plan = _plan(queues._active_steps(at, actor).order_by())
        assert "onestop_step_active_main" in plan, plan


def test_the_index_holds_only_active_main_steps(require_postgres, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'onestop_step_active_main'"
        )
        [(definition,)] = cursor.fetchall()
    assert "(actor, unit_id, dossier_id, assignee_id)" in definition
    assert "'main'" in definition and "'active'" in definition
