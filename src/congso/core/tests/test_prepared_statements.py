"""On PostgreSQL a read by a key (``core.prepared``, ``by_key``) runs as a statement prepared on
its connection, parsed and planned once; no other query is prepared, whose generic plan could
be a disaster (``CONGSO_DB_PREPARED_STATEMENTS``, on by default). Off, the values are bound in
the client as Django does by default."""

import pytest
from django.db import connection

from congso.core.tests.test_settings import _run
from congso.onestop import services

pytestmark = pytest.mark.django_db


def _prepared(marker: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{marker}%"],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL (chạy với DATABASE_URL=postgres://…)")


def test_a_read_by_key_is_prepared_on_its_first_run(postgresql):
    assert _prepared('FROM "onestop_step"') == 0
    services._PLAN.rows(1)  # a dossier's plan by its key
    assert _prepared('FROM "onestop_step"') == 1
    services._PLAN.rows(2)  # the same statement, run again with another key
    assert _prepared('FROM "onestop_step"') == 1


def test_no_other_query_is_prepared_however_often_it_runs(postgresql):
    with connection.cursor() as cursor:
        for times in range(10):
            cursor.execute("SELECT id FROM org_unit WHERE id > %s /* run-again */", [times])
    assert _prepared("run-again") == 0


SHOW = "from django.conf import settings; print(sorted(settings.DATABASES['default']['OPTIONS']))"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("switch", "options"),
    [
        ("", ["options", "server_side_binding"]),
        ("off", ["options"]),
    ],
)
def test_the_switch_decides_how_values_are_bound(switch, options):
    environment = {
        "DATABASE_URL": "postgres://congso@127.0.0.1:5432/congso",
        "DJANGO_SETTINGS_MODULE": "congso.settings",
    }
    if switch:
        environment["CONGSO_DB_PREPARED_STATEMENTS"] = switch
    result = _run([], code=SHOW, **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(options)
