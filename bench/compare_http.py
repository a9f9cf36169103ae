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
        f"| request | req/s {a:,} | p50 {a:,} | × empty | req/s {b:,} | p50 {b:,} | × empty "
        "| growth p50 | growth ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, s in small["cases"].items():
        g = large["cases"].get(name)
        if g is None:
            continue
        print(
            f"| {name} | {s['rps']:,.0f} | {s['p50_ms']:.0f} ms | {s['p50_over_empty']:.1f}× "
            f"| {g['rps']:,.0f} | {g['p50_ms']:.0f} ms | {g['p50_over_empty']:.1f}× "
            f"| {g['p50_ms'] / s['p50_ms']:.2f}× | {g['p50_over_empty'] / s['p50_over_empty']:.2f}× |"
        )


if __name__ == "__main__":
    main(*sys.argv[1:3])
