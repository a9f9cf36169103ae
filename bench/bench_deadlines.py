"""Due-date arithmetic speed, as a ratio to plain ``datetime + timedelta`` measured in the same run.

Run: ``.venv/bin/python bench/bench_deadlines.py [--calls N] [--repeats R]``. Prints a markdown
table and writes ``bench/results/bench_deadlines.json``. The ratio (calls per second of the unit
divided by calls per second of the baseline) is what to compare between machines and versions.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")

import django  # noqa: E402

django.setup()

from congso.worktime.deadlines import (  # noqa: E402
    DEFAULT_TIME_ZONE,
    Calendar,
    TimeUnit,
    due_at,
    working_time_between,
)

#: Typical processing times: 3 working days, 5 calendar days, 4 working hours, same day.
AMOUNTS = {
    TimeUnit.WORKING_DAYS: 3,
    TimeUnit.CALENDAR_DAYS: 5,
    TimeUnit.WORKING_HOURS: 4,
    TimeUnit.SAME_DAY: 0,
}
#: The calendar the demo loads: New Year 2026 swap on top of the package's holidays.
CALENDAR = Calendar(days_off={dt.date(2026, 1, 2)}, working_days={dt.date(2026, 1, 10)})


def receipt_times(count: int) -> list[dt.datetime]:
    """Random instants over 2025–2027, at any hour, so off-hours and holidays are all hit."""
    rng = random.Random(20260213)
    start = dt.datetime(2025, 1, 1, tzinfo=DEFAULT_TIME_ZONE)
    span = int(dt.timedelta(days=3 * 365).total_seconds())
    return [start + dt.timedelta(seconds=rng.randrange(span)) for _ in range(count)]


def calls_per_second(function, inputs, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        for item in inputs:
            function(item)
        best = min(best, time.perf_counter() - began)
    return len(inputs) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    inputs = receipt_times(args.calls)
    three_days = dt.timedelta(days=3)
    baseline = calls_per_second(lambda r: r + three_days, inputs, args.repeats)
    rows = [("datetime + timedelta (baseline)", baseline)]
    for unit, amount in AMOUNTS.items():
        rate = calls_per_second(
            lambda r, u=unit, a=amount: due_at(CALENDAR, r, a, u), inputs, args.repeats
        )
        rows.append((f"due_at {unit.value} ({amount})", rate))
    week = dt.timedelta(days=7)
    rows.append(
        (
            "working_time_between (1 week)",
            calls_per_second(
                lambda r: working_time_between(CALENDAR, r, r + week), inputs, args.repeats
            ),
        )
    )

    print(f"Python {platform.python_version()}, {args.calls} calls × best of {args.repeats}\n")
    print("| function | calls/s | ratio to baseline |")
    print("|---|---:|---:|")
    for name, rate in rows:
        print(f"| {name} | {rate:,.0f} | {rate / baseline:.4f} |")

    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "bench_deadlines.json").write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "calls": args.calls,
                "rows": [
                    {"function": name, "calls_per_second": rate, "ratio": rate / baseline}
                    for name, rate in rows
                ],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
