"""A small harness for Công Sở benchmarks: Django setup on a throw-away database, server time of
views called in-process, percentiles, ratios to a baseline, a markdown table and a JSON file.

Server time means the time Django takes to answer, measured around the test ``Client`` call
(middleware, view, queries, rendering) — no network, no HTTP server. Compare ratios to the
baseline measured in the same run, not milliseconds across machines.
"""

import datetime as dt
import json
import math
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """Create the database named by ``url`` if it does not exist (``fresh``: drop it first).
    A PostgreSQL database must have ``bench`` in its name, as a guard against real data."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(parsed.path + suffix).unlink(missing_ok=True)
        return
    if not parsed.scheme.startswith("postgres"):
        sys.exit(f"DATABASE_URL không được hỗ trợ: {url}")
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Từ chối: tên cơ sở dữ liệu “{name}” phải chứa “bench”.")
    import psycopg

    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, scratch: str = "congso-bench") -> None:
    """Point Django at ``url`` and migrate it."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CONGSO_VAR_DIR", str(Path(tempfile.gettempdir()) / scratch))
    os.environ.setdefault("CONGSO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0–1) of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Timing:
    name: str
    what: str
    rounds: int
    p50_ms: float
    p99_ms: float
    mean_ms: float

    def ratio(self, baseline: "Timing") -> tuple[float, float]:
        return self.p50_ms / baseline.p50_ms, self.p99_ms / baseline.p99_ms


def measure(name: str, what: str, call: Callable[[int], None], *, rounds: int, warmup: int = 20):
    """Time ``call(i)`` ``rounds`` times after ``warmup`` unmeasured calls."""
    for i in range(warmup):
        call(i)
    samples = []
    for i in range(rounds):
        started = time.perf_counter()
        call(i)
        samples.append(time.perf_counter() - started)
    return Timing(
        name=name,
        what=what,
        rounds=rounds,
        p50_ms=percentile(samples, 0.5) * 1000,
        p99_ms=percentile(samples, 0.99) * 1000,
        mean_ms=sum(samples) / len(samples) * 1000,
    )


def get_ok(client, path, extra=None) -> Callable[[int], None]:
    """A call for ``measure``: GET ``path`` with ``client`` and fail loudly unless the answer is
    200 — a fast error is not a result. ``path`` and ``extra`` (WSGI environ keys) may be
    functions of the round number."""

    def call(i: int) -> None:
        url = path(i) if callable(path) else path
        environ = extra(i) if callable(extra) else (extra or {})
        response = client.get(url, **environ)
        if response.status_code != 200:
            raise SystemExit(f"{url} → {response.status_code}: {response.content[:300]!r}")

    return call


def table(timings: list[Timing], baseline: Timing) -> str:
    """A markdown table: p50, p99 and their ratios to ``baseline``."""
    lines = [
        "| Đo | p50 (ms) | p99 (ms) | p50 / nền | p99 / nền |",
        "|---|---:|---:|---:|---:|",
    ]
    for t in timings:
        r50, r99 = t.ratio(baseline)
        lines.append(f"| {t.name} | {t.p50_ms:.2f} | {t.p99_ms:.2f} | {r50:.2f}× | {r99:.2f}× |")
    return "\n".join(lines)


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "system": platform.platform(),
    }


def write_results(name: str, payload: dict, timings: list[Timing], baseline: Timing) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    rows = []
    for t in timings:
        r50, r99 = t.ratio(baseline)
        rows.append({**asdict(t), "p50_ratio": round(r50, 3), "p99_ratio": round(r99, 3)})
    document = {**payload, "machine": machine(), "baseline": baseline.name, "timings": rows}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return path


def top_up(target: int, seed: int, batch: int) -> int:
    """Add generated dossiers (``bench_data``) until the database holds ``target``."""
    from django.core.management import call_command

    from congso.onestop.models import Dossier

    existing = Dossier.objects.count()
    if existing < target:
        call_command("bench_data", dossiers=target - existing, seed=seed + existing, batch=batch)
    return Dossier.objects.count()


def ensure_facts(start: dt.date, end: dt.date, force: bool) -> float | None:
    """Seconds to compute the facts of the period, or ``None`` when they were already there."""
    from django.core.management import call_command
    from django.db import connection

    from congso.dashboard.models import DailyFact

    if not force and DailyFact.objects.filter(day__gte=start, day__lte=end).exists():
        return None
    began = time.perf_counter()
    call_command("recompute_facts", start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}")
    seconds = time.perf_counter() - began
    if connection.vendor == "postgresql":
        # As autovacuum would after a bulk load: statistics, and the visibility map that lets
        # the planner answer from an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return seconds
