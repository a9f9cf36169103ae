"""In-process cost of the real pages against the logged-in empty view: the test client through
the whole middleware stack, on the current database, each case beside the empty view (median of
``--repeat``), with its query count; ``--profile NAME`` prints cProfile's heaviest functions of one
case. The wrk figures (``bench_http.py``) include the scheduler of a loaded machine; these do not.

    DATABASE_URL=… CONGSO_CACHE_URL=… .venv/bin/python bench/profile_pages.py --only detail
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.server_settings")
os.environ.setdefault("CONGSO_LOOKUP_RATE", "1000000/min")  # one client address, as for wrk

from bench.bench_http import _django, cases  # noqa: E402


def _client(cookie: str | None):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    return client


def _time(client, path: str) -> tuple[float, float]:
    """Wall and process CPU milliseconds of one request. On a loaded machine the wall time
    includes waiting for a core; the CPU time does not (nor the database server's work)."""
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile", default="")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order: tottime, …")
    parser.add_argument("--lines", type=int, default=45, help="how many functions to print")
    args = parser.parse_args()
    _django(os.environ["DATABASE_URL"])
    found, empty_cookie = cases()
    measured = [c for c in found if not args.only or any(o in c[0] for o in args.only)]
    empty = _client(empty_cookie)
    print(
        "| request | ms (median) | × empty | CPU ms (median) | × empty CPU | queries |\n"
        "|---|---:|---:|---:|---:|---:|"
    )
    for name, path, cookie in measured:
        client = _client(cookie)
        client.get(path), empty.get("/bench/empty/")  # warm
        own, base = [], []
        for _ in range(args.repeat):
            base.append(_time(empty, "/bench/empty/"))
            own.append(_time(client, path))
        ms, base_ms = (statistics.median(t[0] for t in ts) for ts in (own, base))
        cpu, base_cpu = (statistics.median(t[1] for t in ts) for ts in (own, base))
        print(
            f"| {name} | {ms:.1f} | {ms / base_ms:.1f}× | {cpu:.1f} | {cpu / base_cpu:.1f}× "
            f"| {_queries(client, path)} |"
        )
        if args.profile and args.profile in name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
    print(
        f"empty view, logged in: {statistics.median(t[0] for t in base):.2f} ms, "
        f"CPU {statistics.median(t[1] for t in base):.2f} ms"
    )


if __name__ == "__main__":
    main()
