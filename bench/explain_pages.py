"""EXPLAIN (ANALYZE, BUFFERS) of the slowest queries of each heavy page, as the test client runs
them on a benchmark database: ``bench/results/explain-<label>.txt``.

    DATABASE_URL=postgres://…/bench_perf .venv/bin/python bench/explain_pages.py --label 1m
"""

import argparse
import os
import sys
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
    from django.test.utils import CaptureQueriesContext

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
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        out.append(f"=== {username} {path}: {len(captured.captured_queries)} queries")
        for query in slowest[: args.top]:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            out.append(f"--- {query['time']} s\n{query['sql']}\n{plan}\n")
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"explain-{args.label}.txt"
    target.write_text("\n".join(out))
    print(target)


if __name__ == "__main__":
    main()
