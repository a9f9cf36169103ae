"""Figures at province scale (issue 15 item 8): the one-stop period report of a district-year
read from the daily facts, as a ratio to the raw aggregation over the dossiers of the same
figures in the same run; plus the register (form 07) of a district-month, which lists dossiers
one by one and so cannot come from the facts.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_bench_figures .venv/bin/python
bench/bench_figures.py [--dossiers 1000000] [--rounds 50] [--recompute]``. The database (its
name must contain ``bench``) is created if missing and topped up with ``bench_data``; the facts
of the last 366 days are computed with ``recompute_facts`` when missing (or with
``--recompute``), and that time is reported.

* **raw** — ``onestop.facts.raw_totals`` of the district and every unit below it for the last
  365 days: the plain aggregates plus the timeliness classes of every dossier ended in the
  period or open at its end (``onestop.timeliness``) — the baseline;
* **report** — ``reports.period_report`` of the district for the same period, by unit, from the
  facts (flows, end snapshot, carried over: three grouped sums), checked equal to the raw
  figures before timing;
* **report, running year** — the same for the current calendar year, whose open dossiers are
  judged now (counted live in one grouped SQL query, ``timeliness.open_counts``);
* **register page** — what the register (form 07) page costs: the count for its pager and the
  first 50 rows of the district-year (``printing.register_dossiers`` / ``register_rows``);
* **register** — ``printing.register_rows`` of the district for the last full month (the PDF and
  Excel list every row).

Prints a markdown table and writes ``bench/results/bench_figures_<vendor>_<N>.json``.
"""

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/congso_bench_figures"


def _args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--recompute", action="store_true", help="recompute the facts first")
    return parser.parse_args()


def _same(report, raw: dict) -> bool:
    from congso.onestop.reports import FROM_FACTS

    total = report.total.figures
    return all(total[column] == raw[key] for column, key in FROM_FACTS.items())


def _register_page(printing, unit, period, size: int = 50):
    """What the register page costs (``print_views.register``): the count for the pager and
    the rows of one page."""
    from django.core.paginator import Paginator

    page = Paginator(printing.register_dossiers(unit, period), size).get_page(1)
    return printing.register_rows(unit, period, page.object_list, first=page.start_index())


def main():
    args = _args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    common.ensure_database(url)
    common.setup_django(url, scratch="congso-bench-figures")
    from django.db import connection
    from django.utils import timezone

    from congso.core.periods import Period
    from congso.onestop import facts, printing, reports
    from congso.org.models import Unit, UnitKind

    total = common.top_up(args.dossiers, args.seed, args.batch)
    today = timezone.localdate()
    end = today - dt.timedelta(days=1)
    start = end - dt.timedelta(days=364)
    facts_seconds = common.ensure_facts(start - dt.timedelta(days=1), today, args.recompute)
    district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path").first()
    ids = reports.unit_ids(district)
    year = Period(start, end)
    if not _same(reports.period_report(district, year), facts.raw_totals(ids, start, end)):
        raise SystemExit("Báo cáo từ số liệu tổng hợp khác số liệu gốc: chạy lại với --recompute.")
    running = Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    month = Period(month_end.replace(day=1), month_end)
    rounds = args.rounds
    measure = common.measure
    baseline = measure(
        "Nền: tổng hợp trực tiếp trên hồ sơ (huyện, 365 ngày)",
        "onestop.facts.raw_totals(district subtree, 365 days)",
        lambda i: facts.raw_totals(ids, start, end), rounds=max(3, rounds // 10), warmup=1,
    )  # fmt: skip
    timings = [
        baseline,
        measure(
            "Báo cáo kỳ từ số liệu tổng hợp (huyện, 365 ngày)",
            "reports.period_report(district, 365 days, by unit)",
            lambda i: reports.period_report(district, year), rounds=rounds, warmup=3,
        ),
        measure(
            "Báo cáo kỳ năm đang chạy (hồ sơ đang mở tính đến hiện tại)",
            "reports.period_report(district, current year, by unit)",
            lambda i: reports.period_report(district, running), rounds=rounds, warmup=3,
        ),
        measure(
            "Báo cáo kỳ theo thủ tục (huyện, 365 ngày)",
            "reports.period_report(district, 365 days, by procedure)",
            lambda i: reports.period_report(district, year, by="procedure"), rounds=rounds,
            warmup=3,
        ),
        measure(
            "Sổ theo dõi hồ sơ (mẫu 07) trên màn hình: một trang, huyện, 365 ngày",
            "register page: count + register_rows(first 50 of the district-year)",
            lambda i: _register_page(printing, district, year), rounds=rounds, warmup=3,
        ),
        measure(
            "Sổ theo dõi hồ sơ (mẫu 07), huyện, một tháng",
            "printing.register_rows(district, last month)",
            lambda i: printing.register_rows(district, month), rounds=max(3, rounds // 5),
            warmup=1,
        ),
    ]  # fmt: skip
    print(f"\n{total:,} hồ sơ · {connection.vendor} · {rounds} lượt")
    if facts_seconds is not None:
        print(f"Tính số liệu tổng hợp 367 ngày: {facts_seconds:.1f} giây")
    print()
    print(common.table(timings, baseline))
    path = common.write_results(
        f"bench_figures_{connection.vendor}_{total}",
        {"dossiers": total, "database": connection.vendor, "facts_seconds": facts_seconds},
        timings,
        baseline,
    )
    print(f"\n→ {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
