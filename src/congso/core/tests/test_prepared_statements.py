"""On PostgreSQL a query run again and again on a connection becomes a prepared statement
(``CONGSO_DB_PREPARED_STATEMENTS``, on by default): PostgreSQL stops parsing and planning it on
every request. Off, the values are bound in the client as Django does by default."""

import pytest
from django.db import connection

from congso.core.tests.test_settings import _run

pytestmark = pytest.mark.django_db


def _prepared(marker: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{marker}%"],
        )
        return cursor.fetchone()[0]


def test_a_query_run_again_is_prepared_on_its_connection():
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL (chạy với DATABASE_URL=postgres://…)")
    with connection.cursor() as cursor:
        for times in range(1, 8):
            cursor.execute("SELECT id FROM org_unit WHERE id > %s /* prepared-test */", [times])
            assert _prepared("prepared-test") == (1 if times > 5 else 0), times


SHOW = "from django.conf import settings; print(sorted(settings.DATABASES['default']['OPTIONS']))"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("switch", "options"),
    [
        ("", ["options", "prepare_threshold", "server_side_binding"]),
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
