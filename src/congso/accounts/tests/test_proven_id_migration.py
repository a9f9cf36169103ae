"""Migration 0003 on existing data: a number an account got through VNeID stays, proven by the
eID; a number someone typed at registration becomes declared, so a squatter created before the
fix loses its hold on the number."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0002_second_factor_lockouts_tokens")]
AFTER = [("accounts", "0003_proven_id_number")]


@pytest.mark.django_db(transaction=True)
def test_typed_numbers_become_declared_eid_numbers_stay_proven():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("accounts", "User")
    old.objects.create(username="ke.gian", id_number="040088007788")
    old.objects.create(username="vneid", id_number="040090001234", eid_subject="sub-1")
    old.objects.create(username="khong.so")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("accounts", "User")
    squatter = new.objects.get(username="ke.gian")
    assert squatter.id_number is None and squatter.id_proven_by == "none"
    assert squatter.declared_id_number == "040088007788"
    holder = new.objects.get(username="vneid")
    assert (holder.id_number, holder.id_proven_by) == ("040090001234", "eid")
    assert holder.id_proven_at is not None
    assert new.objects.get(username="khong.so").id_proven_by == "none"
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
