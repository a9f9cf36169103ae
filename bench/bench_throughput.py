"""Requests/s of the public pages, this version against an earlier one, in the same run (issue 16
item 4: "≥ 5× today's requests/s for the lookup and the procedure page, same machine, same run").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_perf CONGSO_CACHE_URL=redis://…/5 \\
        .venv/bin/python bench/bench_throughput.py --before b85493c --rounds 3

The earlier version is exported with ``git archive`` under ``var/bench-trees/<rev>`` and served by
its own granian, started as its ``make run`` started it (``--before-workers``), beside this
version's, on the same database; each server has its own Redis database, so neither reads the
other's cache. Every round runs ``wrk`` on each case against the earlier server, then this one,
with the anonymous empty view of the same server beside each. Results go to
``bench/results/throughput-<rev>.json``.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bench_http import _django, _get, start_server, wrk  # noqa: E402
from bench.common import RESULTS, ROOT, machine  # noqa: E402

TREES = ROOT / "var" / "bench-trees"


def export(rev: str) -> Path:
    """The source tree of ``rev``, with this version's two benchmark server files (the empty view's
    URL) should it predate them."""
    tree = TREES / rev
    if not tree.exists():
        with tempfile.TemporaryFile() as archive:
            subprocess.run(["git", "archive", rev], cwd=ROOT, stdout=archive, check=True)
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                tar.extractall(tree, filter="data")
    for name in ("server_settings.py", "server_urls.py"):
        if not (tree / "bench" / name).exists():
            shutil.copy(ROOT / "bench" / name, tree / "bench" / name)
    return tree


def public_cases() -> list[tuple[str, str]]:
    from congso.catalog.models import Procedure
    from congso.onestop.models import Dossier

    known = Dossier.objects.exclude(applicant_id_number="").order_by("-id").first()
    procedure = Procedure.objects.filter(is_active=True).order_by("code").first()
    return [
        ("empty view, anonymous", "/bench/empty/"),
        (
            "public lookup API",
            f"/api/v1/lookup/?code={known.code}&id_number={known.applicant_id_number}",
        ),
        ("procedure page", f"/procedures/{procedure.code}/"),
    ]


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="git revision to compare against")
    parser.add_argument(
        "--before-workers",
        type=int,
        default=1,
        help="the web worker processes the earlier version's make run started (one until the "
        "seventh round of issue 16)",
    )
    parser.add_argument("--port", type=int, default=9510)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in url:
        sys.exit("DATABASE_URL phải trỏ tới cơ sở dữ liệu đo (tên chứa “bench”).")
    cache = os.environ.get("CONGSO_CACHE_URL", "redis://127.0.0.1:6379/5").rsplit("/", 1)[0]
    _django(url)
    from django.db import connection

    cases = public_cases()
    connection.close()
    servers = {
        "before": start_server(
            args.port, export(args.before), args.before_workers, CONGSO_CACHE_URL=f"{cache}/6"
        ),
        "after": start_server(args.port + 1, ROOT, CONGSO_CACHE_URL=f"{cache}/7"),
    }
    bases = {
        "before": f"http://127.0.0.1:{args.port}",
        "after": f"http://127.0.0.1:{args.port + 1}",
    }
    runs: dict[str, dict[str, list[dict]]] = {v: {n: [] for n, _ in cases} for v in servers}
    try:
        for version, base in bases.items():  # warm each server, check every answer
            for name, path in cases:
                status, _ = _get(base, path, None)
                if status != 200:
                    raise SystemExit(f"{version} {name}: HTTP {status} ({path})")
        for _round in range(args.rounds):
            for name, path in cases[1:]:
                for version, base in bases.items():
                    runs[version][cases[0][0]].append(
                        wrk(base, cases[0][1], None, 2, args.connections)
                    )
                    runs[version][name].append(
                        wrk(base, path, None, args.seconds, args.connections)
                    )
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=20)
    summary = {
        name: {
            version: {
                "rps": [r["rps"] for r in runs[version][name]],
                "p50_ms": [r["p50_ms"] for r in runs[version][name]],
                "non_2xx": sum(r["non_2xx"] for r in runs[version][name]),
            }
            for version in servers
        }
        for name, _ in cases
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"throughput-{args.before}.json"
    payload = {"before": args.before, "machine": machine(), "rounds": args.rounds, "cases": summary}
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    print("| request | before req/s | after req/s | after / before (median) |")
    print("|---|---:|---:|---:|")
    for name, by in summary.items():
        before, after = _median(by["before"]["rps"]), _median(by["after"]["rps"])
        print(f"| {name} | {before:,.0f} | {after:,.0f} | {after / before:.1f}× |")
    print(f"\n→ {out}")


if __name__ == "__main__":
    main()
