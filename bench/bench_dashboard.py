"""Dashboard speed with many dossiers: the district overview (served from the daily facts) as a
ratio to the raw SQL aggregation of the same one-stop figures over the dossiers, measured in
the same run; plus how long computing the facts takes.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_bench_dashboard .venv/bin/python
bench/bench_dashboard.py [--dossiers 20000] [--rounds 50] [--recompute]``. The database (its
name must contain ``bench``) is created if missing and topped up with ``bench_data`` to
``--dossiers`` (existing dossiers are kept; a database with more is used as it is). The facts of
the last 365 days are computed with ``recompute_facts`` when missing (or with ``--recompute``),
and that time is reported.

* **raw** — ``onestop.facts.raw_totals`` of the district and every unit below it for the last
  365 days: one conditional aggregate over the dossiers (plus one over their documents) — the
  baseline.
* **facts** — the ``onestop`` provider for the same units and period, read from the facts.
* **overview** — ``GET /dashboard/?kind=year`` as the district leader: every source, the
  indicators, the Decision 766 index, the units below, the 12-month trend and the ranking of
  communes, rendered with its SVG charts (server time through Django's test ``Client``). The
  other apps' figures are cached for ``DASHBOARD_CACHE_SECONDS`` (300 s), so this is the warm
  page; **overview, no cache** sets it to 0 and asks every provider each time.

Prints a markdown table and writes ``bench/results/bench_dashboard_<vendor>_<N>.json``.
"""

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/congso_bench_dashboard"


def _args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--recompute", action="store_true", help="recompute the facts first")
    return parser.parse_args()


def main():
    args = _args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    common.ensure_database(url)
    common.setup_django(url, scratch="congso-bench-dashboard")
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from congso.accounts.models import User
    from congso.dashboard import board, store
    from congso.onestop import facts
    from congso.org.models import Unit, UnitKind

    total = common.top_up(args.dossiers, args.seed, args.batch)
    end = timezone.localdate()
    start = end - dt.timedelta(days=364)
    facts_seconds = common.ensure_facts(start, end, args.recompute)
    from congso.dashboard.models import DailyFact

    fact_rows = DailyFact.objects.count()
    district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path").first()
    ids = board.subtree_ids(district)
    if store.onestop_figures(ids, start, end) != facts.raw_totals(ids, start, end):
        raise SystemExit("Số liệu tổng hợp khác số liệu gốc: hãy chạy lại với --recompute.")
    leader = Client()
    leader.force_login(User.objects.get(username="lanhdao.nghiloc"))
    rounds = args.rounds
    with override_settings(ALLOWED_HOSTS=["*"]):
        measure = common.measure
        baseline = measure(
            "Nền: tổng hợp SQL trực tiếp trên hồ sơ (huyện, 365 ngày)",
            "onestop.facts.raw_totals(district subtree, 365 days)",
            lambda i: facts.raw_totals(ids, start, end), rounds=max(5, rounds // 5), warmup=2,
        )  # fmt: skip
        timings = [
            baseline,
            measure(
                "Số liệu một cửa từ bảng tổng hợp (huyện, 365 ngày)",
                "dashboard.store.onestop_figures(district subtree, 365 days)",
                lambda i: store.onestop_figures(ids, start, end), rounds=rounds, warmup=5,
            ),
            measure(
                "Trang tổng quan huyện (năm)", "GET /dashboard/?kind=year",
                common.get_ok(leader, "/dashboard/?kind=year"), rounds=rounds, warmup=3,
            ),
        ]  # fmt: skip
        with override_settings(DASHBOARD_CACHE_SECONDS=0):
            timings.append(measure(
                "Trang tổng quan huyện (năm), không dùng bộ đệm nguồn khác",
                "GET /dashboard/?kind=year, DASHBOARD_CACHE_SECONDS=0",
                common.get_ok(leader, "/dashboard/?kind=year"), rounds=max(5, rounds // 3),
                warmup=1,
            ))  # fmt: skip
    print(f"\n{total:,} hồ sơ · {connection.vendor} · {fact_rows:,} dòng tổng hợp · {rounds} lượt")
    if facts_seconds is not None:
        print(f"Tính số liệu tổng hợp 365 ngày: {facts_seconds:.1f} giây")
    print()
    print(common.table(timings, baseline))
    path = common.write_results(
        f"bench_dashboard_{connection.vendor}_{total}",
        {
            "dossiers": total,
            "database": connection.vendor,
            "fact_rows": fact_rows,
            "facts_seconds": facts_seconds,
        },
        timings,
        baseline,
    )
    print(f"\n→ {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
