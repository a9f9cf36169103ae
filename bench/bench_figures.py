"""Figures at province scale (issue 15 item 8): the one-stop period report and the register
(form 07) of a district-year and of a province-year — the functions and the pages a leader opens
— each as a ratio to the raw aggregation of the same figures over the dossiers of the same scope
in the same run, and to an empty page through the same middleware.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_bench_figures .venv/bin/python
bench/bench_figures.py [--dossiers 1000000] [--rounds 50] [--recompute]``. The database (its
name must contain ``bench``) is created if missing and topped up with ``bench_data``; the facts
of the last 366 days are computed with ``recompute_facts`` when missing (or with
``--recompute``), and that time is reported. Pages go through Django's test ``Client`` (every
middleware, the view, its queries, the template), logged in as a leader of the scope (a bench
user with a position there, created once); ``/bench/empty/`` is ``bench/server_urls.py``.

For each scope (the first district, the province):

* **raw** — ``onestop.facts.raw_totals`` of the scope for the last 365 days: the plain
  aggregates plus the timeliness class of every dossier ended in the period or open at its end
  (``onestop.timeliness``) — the baseline, checked equal to the report before timing;
* **report** — ``reports.period_report`` of the scope, by unit, from the facts;
* **report page** — ``GET /onestop/print/report/`` for the same period;
* **report page, running year** — the current calendar year, whose open dossiers are judged now
  (one grouped SQL query, ``timeliness.open_counts``);
* **register page** — ``GET /onestop/print/register/`` for the year: the pager's count and the
  first 50 rows; and the same without the page (``printing.register_dossiers`` /
  ``register_rows``).

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


def _leader(unit):
    """A logged-in test client for a leader of ``unit`` (a bench user, created once)."""
    from django.test import Client

    from congso.accounts.models import Position, Role, User

    user, _ = User.objects.get_or_create(
        username=f"bench.leader.{unit.pk}", defaults={"full_name": "Bench", "is_demo": True}
    )
    Position.objects.get_or_create(
        user=user, unit=unit, role=Role.LEADER, defaults={"valid_from": dt.date(2000, 1, 1)}
    )
    client = Client()
    client.force_login(user)
    return client


def _query(unit, period, **extra) -> str:
    from urllib.parse import urlencode

    dates = {"start": f"{period.start:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"}
    return urlencode({"unit": unit.pk, **dates, **extra})


def _scope_timings(label, unit, year, running, rounds, measure):
    """raw aggregation, the report from the facts, and the two pages of one scope (district or
    province), the pages through Django's test client (middleware, view, queries, template)."""
    from congso.onestop import facts, printing, reports

    ids = reports.unit_ids(unit)
    if not _same(reports.period_report(unit, year), facts.raw_totals(ids, year.start, year.end)):
        raise SystemExit("Báo cáo từ số liệu tổng hợp khác số liệu gốc: chạy lại với --recompute.")
    client = _leader(unit)
    get = common.get_ok
    raw = measure(
        f"Nền: tổng hợp trực tiếp trên hồ sơ ({label}, 365 ngày)",
        f"onestop.facts.raw_totals({label} subtree, 365 days)",
        lambda i: facts.raw_totals(ids, year.start, year.end), rounds=max(3, rounds // 10),
        warmup=1,
    )  # fmt: skip
    rows = [
        measure(
            f"Báo cáo kỳ từ số liệu tổng hợp ({label}, 365 ngày)",
            f"reports.period_report({label}, 365 days, by unit)",
            lambda i: reports.period_report(unit, year), rounds=rounds, warmup=3,
        ),
        measure(
            f"Trang báo cáo kỳ ({label}, 365 ngày)",
            f"GET /onestop/print/report/ ({label}, 365 days, by unit)",
            get(client, f"/onestop/print/report/?{_query(unit, year, by='unit')}"),
            rounds=rounds, warmup=3,
        ),
        measure(
            f"Trang báo cáo kỳ năm đang chạy ({label}, hồ sơ mở tính đến hiện tại)",
            f"GET /onestop/print/report/ ({label}, current year)",
            get(client, f"/onestop/print/report/?{_query(unit, running, by='unit')}"),
            rounds=rounds, warmup=3,
        ),
        measure(
            f"Trang sổ theo dõi hồ sơ mẫu 07 ({label}, 365 ngày, trang đầu)",
            f"GET /onestop/print/register/ ({label}, 365 days, page 1)",
            get(client, f"/onestop/print/register/?{_query(unit, year)}"), rounds=rounds,
            warmup=3,
        ),
        measure(
            f"Sổ theo dõi (mẫu 07), hàm, {label}, 365 ngày, trang đầu",
            f"count + register_rows(first 50 of the {label}-year)",
            lambda i: _register_page(printing, unit, year), rounds=rounds, warmup=3,
        ),
    ]  # fmt: skip
    return raw, rows


def _table(scopes, empty) -> str:
    lines = [
        "| Đo | p50 (ms) | p99 (ms) | p50 / nền cùng phạm vi | p50 / trang rỗng |",
        "|---|---:|---:|---:|---:|",
        f"| {empty.name} | {empty.p50_ms:.2f} | {empty.p99_ms:.2f} | | 1× |",
    ]
    for raw, rows in scopes:
        for t in [raw, *rows]:
            lines.append(
                f"| {t.name} | {t.p50_ms:.2f} | {t.p99_ms:.2f} | {t.p50_ms / raw.p50_ms:.4f}× "
                f"| {t.p50_ms / empty.p50_ms:.1f}× |"
            )
    return "\n".join(lines)


def main():
    args = _args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    common.ensure_database(url)
    common.setup_django(url, scratch="congso-bench-figures")
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    from congso.core.periods import Period
    from congso.onestop.models import Dossier
    from congso.org.models import Unit, UnitKind

    total = common.top_up(args.dossiers, args.seed, args.batch)
    today = timezone.localdate()
    end = today - dt.timedelta(days=1)
    start = end - dt.timedelta(days=364)
    facts_seconds = common.ensure_facts(start - dt.timedelta(days=1), today, args.recompute)
    first = Unit.objects.order_by("path")
    district = first.filter(kind=UnitKind.DISTRICT).first()
    province = first.filter(kind=UnitKind.PROVINCE).first()
    year = Period(start, end)
    running = Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    in_year = Dossier.objects.filter(received_at__date__gte=start, received_at__date__lte=end)
    measure = common.measure
    with override_settings(ROOT_URLCONF="server_urls", ALLOWED_HOSTS=["*"]):
        empty = measure(
            "Trang rỗng (cùng middleware, đã đăng nhập)", "GET /bench/empty/ (logged in)",
            common.get_ok(_leader(district), "/bench/empty/"), rounds=args.rounds * 4,
            warmup=20,
        )  # fmt: skip
        scopes = [
            _scope_timings(label, unit, year, running, args.rounds, measure)
            for label, unit in (("huyện", district), ("tỉnh", province))
        ]
    print(f"\n{total:,} hồ sơ · {in_year.count():,} tiếp nhận trong 365 ngày đo · "
          f"{connection.vendor} · {args.rounds} lượt")  # fmt: skip
    if facts_seconds is not None:
        print(f"Tính số liệu tổng hợp 367 ngày: {facts_seconds:.1f} giây")
    print()
    print(_table(scopes, empty))
    timings = [empty, *(t for raw, rows in scopes for t in (raw, *rows))]
    path = common.write_results(
        f"bench_figures_{connection.vendor}_{total}",
        {"dossiers": total, "database": connection.vendor, "facts_seconds": facts_seconds,
         "received_in_year": in_year.count(), "baselines": [raw.name for raw, _ in scopes]},
        timings,
        empty,
    )  # fmt: skip
    print(f"\n→ {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
