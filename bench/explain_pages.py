"""EXPLAIN (ANALYZE, BUFFERS) of the slowest queries of each heavy page, as the test client runs
them on a benchmark database: ``bench/results/explain-<label>.txt``. Each query's plan for its
values, then its generic plan (prepared, ``plan_cache_mode = force_generic_plan``): a statement
prepared on a connection (``CONGSO_DB_PREPARED_STATEMENTS``) runs the generic plan once
PostgreSQL finds it no dearer than the custom ones, so it must be as good for every value.

    DATABASE_URL=postgres://…/bench_perf .venv/bin/python bench/explain_pages.py --label 1m
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bench_http import _django, _province_leader  # noqa: E402
from bench.common import RESULTS  # noqa: E402

PAGES = [
    ("motcua.nghilong", "/onestop/"),
    ("motcua.nghilong", "/api/v1/dossiers/"),
    ("lanhdao.nghiloc", "/onestop/"),
    ("lanhdao.nghiloc", "/api/v1/dossiers/"),
    ("bench.lanhdao.tinh", "/api/v1/dossiers/"),
    ("bench.lanhdao.tinh", "/onestop/?tab=to_process"),
    ("motcua.nghiloc", "/onestop/?tab=overdue"),
    ("motcua.nghilong", "/api/v1/dossiers/{newest}/"),
    ("motcua.nghilong", "/onestop/dossiers/{newest}/"),
    ("lanhdao.nghiloc", "/api/v1/dossiers/{newest}/"),
]


def _newest(user) -> str:
    """The code of the newest dossier ``user`` may see (the detail pages' subject)."""
    from congso.onestop import services

    newest = services.visible_dossiers(user).order_by("-filed_at", "-id").first()
    return newest.code if newest else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", required=True)
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args()
    _django(os.environ["DATABASE_URL"])
    from django.db import connection
    from django.test import Client

    from congso.accounts.models import User
    from congso.accounts.tests.support import log_in

    _province_leader()
    out = []
    for username, path in PAGES:
        client = Client()
        user = User.objects.get(username=username)
        log_in(client, user)
        path = path.format(newest=_newest(user)) if "{newest}" in path else path
        client.get(path)
        captured = []
        with connection.execute_wrapper(_Timed(captured)):
            client.get(path)
        out.append(f"=== {username} {path}: {len(captured)} queries")
        for seconds, sql, params in sorted(captured, key=lambda q: -q[0])[: args.top]:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            literal = connection.ops.compose_sql(sql, params)
            plan = _explain(connection, literal)
            generic = _explain_generic(connection, sql, params)
            out.append(f"--- {seconds:.4f} s\n{literal}\n{plan}\n--- generic plan\n{generic}\n")
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"explain-{args.label}.txt"
    target.write_text("\n".join(out))
    print(target)


class _Timed:
    """An execute wrapper keeping (seconds, sql, params) of every query."""

    def __init__(self, captured: list):
        self.captured = captured

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.captured.append((time.perf_counter() - started, sql, params))


def _explain(connection, sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _explain_generic(connection, sql: str, params) -> str:
    """The plan PostgreSQL keeps for the prepared ``sql`` whatever its values, run with
    ``params``."""
    if not params:
        return "(no parameters: the same plan)"
    numbered = iter(range(1, len(params) + 1))
    prepared = re.sub(r"%(%|s)", lambda m: "%" if m[1] == "%" else f"${next(numbered)}", sql)
    values = connection.ops.compose_sql(", ".join(["%s"] * len(params)), params)
    with connection.cursor() as cursor:
        cursor.execute(f"PREPARE explained AS {prepared}")
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE explained({values})")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET plan_cache_mode")
            cursor.execute("DEALLOCATE explained")


if __name__ == "__main__":
    main()
