"""``bench_http`` runs at growing sizes side by side: each request's p50 and its ratio to the
logged-in empty view of the same run at every size, and its growth from the smallest to the
largest (p50, and the ratio by requests/s, which discounts a machine busier in one run).

    .venv/bin/python bench/compare_http.py bench/results/http-100k.json bench/results/http-1m.json \\
        bench/results/http-10m.json
"""

import json
import sys


def main(paths: list[str]) -> None:
    runs = [json.load(open(p)) for p in paths]  # noqa: SIM115
    sizes = [f"{run['dossiers']:,}" for run in runs]
    head = "| request | " + " | ".join(f"p50 {s} | × empty {s}" for s in sizes)
    print(head + " | growth p50 | growth × empty req/s |")
    print("|---|" + "---:|---:|" * len(runs) + "---:|---:|")
    for name, first in runs[0]["cases"].items():
        found = [run["cases"].get(name) for run in runs]
        if None in found:
            continue
        cells = " | ".join(f"{_ms(c['p50_ms'])} | {_times(c['p50_over_empty'])}" for c in found)
        by_rate = [_by_rate(run, name) for run in (runs[0], runs[-1])]
        growth_rate = by_rate[1] / by_rate[0] if all(by_rate) else None
        last = found[-1]
        growth_p50 = (
            last["p50_ms"] / first["p50_ms"] if first["p50_ms"] and last["p50_ms"] else None
        )
        print(f"| {name} | {cells} | {_times(growth_p50, 2)} | {_times(growth_rate, 2)} |")


def _by_rate(run: dict, name: str) -> float | None:
    """The logged-in empty view's requests/s over the case's (robust when wrk completed few
    requests and printed no percentile)."""
    empty, case = run["cases"]["empty view, logged in"]["rps"], run["cases"][name]["rps"]
    return empty / case if case else None


def _ms(value) -> str:
    return f"{value:.1f} ms" if value else "—"


def _times(value, digits: int = 1) -> str:
    return f"{value:.{digits}f}×" if value else "—"


if __name__ == "__main__":
    main(sys.argv[1:])
