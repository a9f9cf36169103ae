"""Two ``bench_http`` runs side by side: each request's p50 and ratio to the logged-in empty view
at both sizes, and its growth (p50 at the larger size / p50 at the smaller, and the same for the
ratio, which discounts a machine busier in one run than the other).

    .venv/bin/python bench/compare_http.py bench/results/http-100k.json bench/results/http-1m.json
"""

import json
import sys


def main(small_path: str, large_path: str) -> None:
    small, large = (json.load(open(p)) for p in (small_path, large_path))  # noqa: SIM115
    a, b = small["dossiers"], large["dossiers"]
    print(
        f"| request | req/s {a:,} | p50 {a:,} | × empty p50 | × empty req/s | req/s {b:,} "
        f"| p50 {b:,} | × empty p50 | × empty req/s | growth (× empty req/s) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, s in small["cases"].items():
        g = large["cases"].get(name)
        if g is None:
            continue
        by_rate = [_by_rate(run, name) for run in (small, large)]
        growth = by_rate[1] / by_rate[0] if all(by_rate) else None
        print(
            f"| {name} | {s['rps']:,.0f} | {_ms(s['p50_ms'])} | {_times(s['p50_over_empty'])} "
            f"| {_times(by_rate[0])} | {g['rps']:,.0f} | {_ms(g['p50_ms'])} "
            f"| {_times(g['p50_over_empty'])} | {_times(by_rate[1])} | {_times(growth, 2)} |"
        )


def _by_rate(run: dict, name: str) -> float | None:
    """The logged-in empty view's requests/s over the case's (robust when wrk completed few
    requests and printed no percentile)."""
    empty, case = run["cases"]["empty view, logged in"]["rps"], run["cases"][name]["rps"]
    return empty / case if case else None


def _ms(value) -> str:
    return f"{value:.0f} ms" if value else "—"


def _times(value, digits: int = 1) -> str:
    return f"{value:.{digits}f}×" if value else "—"


if __name__ == "__main__":
    main(*sys.argv[1:3])
