"""One-stop back office speed with many dossiers: public lookup, a unit's work queue, the period
report of a district-year — each as a ratio to an empty endpoint measured in the same run.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_bench .venv/bin/python
bench/bench_onestop.py [--dossiers 1000000] [--rounds 300]``. The database (its name must
contain ``bench``) is created if missing and topped up with ``bench_data`` to ``--dossiers``;
existing dossiers are kept, so a 100,000 run can grow to 1,000,000 later.

Every figure is server time: a request through Django's test ``Client`` (all middleware, the
view, its queries, rendering), no network.

* **empty** — ``GET /bench/empty/``: a view returning an empty 200 response, anonymous.
* **lookup** — ``GET /api/v1/lookup/?code=…&id_number=…``, the real public API (throttled per
  client address, so each round comes from a different address), a different dossier each time.
* **queue** — the district desk officer's *overdue* queue (``queues.queue``: dossiers at the
  desk or at the officer's steps, running, past due), first page of 20 and its count, logged in.
* **to_process** — the Justice department specialist's *to process* queue, same shape.
* **report** — ``reports.period_report`` of the district and all its units for the last 365 days,
  by unit, logged in as the district leader.

The throttle of the lookup and the sessions live in the cache: run with ``CONGSO_CACHE_URL``
(Redis) as in production, or the database cache adds a committed write to every lookup.
Prints a markdown table and writes ``bench/results/bench_onestop_<vendor>_<N>.json``.
"""

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/congso_bench"


def _args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=10_000)
    return parser.parse_args()


# --- the tiny URLconf: the real site plus the bench's own views --------------------------------


def empty(request):
    from django.http import HttpResponse

    return HttpResponse(b"")


def queue_page(request, key):
    from django.http import JsonResponse

    from congso.onestop import queues

    dossiers = queues.queue(request.user, key)
    page = list(dossiers.values_list("code", flat=True)[:20])
    return JsonResponse({"count": dossiers.count(), "codes": page})


def report_page(request):
    import datetime as dt

    from django.http import JsonResponse
    from django.utils import timezone

    from congso.demo.org import DISTRICT_ID
    from congso.onestop import reports
    from congso.org.models import Unit

    today = timezone.localdate()
    district = Unit.objects.get(agency_id=DISTRICT_ID)
    period = reports.Period(today - dt.timedelta(days=364), today)
    report = reports.period_report(district, period, by="unit")
    return JsonResponse({"rows": len(report.rows), "total": report.total.figures})


def _urlpatterns():
    from django.urls import include, path

    return [
        path("bench/empty/", empty),
        path("bench/queue/<str:key>/", queue_page),
        path("bench/report/", report_page),
        path("", include("congso.urls")),
    ]


# --- data -----------------------------------------------------------------------------------


def _top_up(target: int, seed: int, batch: int) -> int:
    from django.core.management import call_command
    from django.db import connection

    from congso.onestop.models import Dossier

    existing = Dossier.objects.count()
    if existing < target:
        call_command("bench_data", dossiers=target - existing, seed=seed + existing, batch=batch)
    if connection.vendor == "postgresql":
        # As autovacuum would after a bulk load: statistics, and the visibility map that lets
        # the planner answer from an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return Dossier.objects.count()


def _lookup_samples(count: int, seed: int) -> list[tuple[str, str]]:
    """(code, personal ID) of dossiers spread over the whole table."""
    from django.db.models import Max, Min

    from congso.onestop.models import Dossier

    bounds = Dossier.objects.aggregate(low=Min("pk"), high=Max("pk"))
    rng = random.Random(seed)
    samples = []
    while len(samples) < count:
        pk = rng.randint(bounds["low"], bounds["high"])
        found = Dossier.objects.filter(pk__gte=pk).exclude(applicant_id_number="")
        row = found.order_by("pk").values_list("code", "applicant_id_number").first()
        if row:
            samples.append(row)
    return samples


def main():
    args = _args()
    import os

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    common.ensure_database(url)
    common.setup_django(url, scratch="congso-bench-onestop")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from congso.accounts.models import User

    total = _top_up(args.dossiers, args.seed, args.batch)
    samples = _lookup_samples(500, args.seed)
    sys.modules["bench_onestop_urls"] = type(sys)("bench_onestop_urls")
    sys.modules["bench_onestop_urls"].urlpatterns = _urlpatterns()

    anonymous = Client()
    desk, specialist, leader = Client(), Client(), Client()
    desk.force_login(User.objects.get(username="motcua.nghiloc"))
    specialist.force_login(User.objects.get(username="chuyenvien.tuphap"))
    leader.force_login(User.objects.get(username="lanhdao.nghiloc"))

    def lookup(i):
        code, id_number = samples[i % len(samples)]
        return f"/api/v1/lookup/?code={code}&id_number={id_number}"

    def address(i):
        return {"REMOTE_ADDR": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"}

    rounds = args.rounds
    with override_settings(ROOT_URLCONF="bench_onestop_urls", ALLOWED_HOSTS=["*"]):
        measure = common.measure
        baseline = measure(
            "Nền: trang rỗng", "GET /bench/empty/", common.get_ok(anonymous, "/bench/empty/"),
            rounds=rounds,
        )  # fmt: skip
        timings = [
            baseline,
            measure(
                "Nền (đã đăng nhập)", "GET /bench/empty/ logged in",
                common.get_ok(desk, "/bench/empty/"), rounds=rounds,
            ),
            measure(
                "Tra cứu công khai", "GET /api/v1/lookup/",
                common.get_ok(anonymous, lookup, address), rounds=rounds,
            ),
            measure(
                "Hàng đợi: quá hạn (một cửa huyện)", "queues.queue(desk officer, 'overdue')[:20]",
                common.get_ok(desk, "/bench/queue/overdue/"), rounds=rounds,
            ),
            measure(
                "Hàng đợi: chờ xử lý (chuyên viên)", "queues.queue(specialist, 'to_process')[:20]",
                common.get_ok(specialist, "/bench/queue/to_process/"), rounds=rounds,
            ),
            measure(
                "Báo cáo kỳ: huyện, 365 ngày", "reports.period_report(district, year)",
                common.get_ok(leader, "/bench/report/"), rounds=max(20, rounds // 5), warmup=3,
            ),
        ]  # fmt: skip
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"\n{total:,} hồ sơ · {connection.vendor} · bộ đệm {cache} · {rounds} lượt mỗi phép đo\n")
    print(common.table(timings, baseline))
    path = common.write_results(
        f"bench_onestop_{connection.vendor}_{total}",
        {
            "dossiers": total,
            "database": connection.vendor,
            "cache": settings.CACHES["default"]["BACKEND"],
            "session_engine": settings.SESSION_ENGINE,
            "debug": settings.DEBUG,
        },
        timings,
        baseline,
    )
    print(f"\nKết quả: {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
