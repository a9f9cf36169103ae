"""The pages officials and citizens open, through a real server started as ``make run`` starts it
(granian, WSGI, a worker process per core, four blocking threads each), driven by ``wrk``; every
case interleaved per round with the empty view (anonymous and logged in) in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_perf CONGSO_CACHE_URL=redis://…/5 \\
        .venv/bin/python bench/bench_http.py --label 100k

Cold: the first request after the cache is emptied (one request, timed by the client). Warm:
``wrk`` for ``--seconds`` per case and round (requests/s, latency p50/p99). Results go to
``bench/results/http-<label>.json``.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import RESULTS, ROOT, machine, percentile  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))
from congso.ops.roles import RUN_WEB_WORKERS, web_argv  # noqa: E402


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CONGSO_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _session(user) -> str:
    """A logged-in session (second factor passed) as the login page leaves it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from congso.accounts.middleware import SESSION_KEY as OTP

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[OTP] = True
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _province_leader():
    from congso.accounts.models import Position, Role, User
    from congso.org.models import Unit, UnitKind

    user, _ = User.objects.get_or_create(
        username="bench.lanhdao.tinh", defaults={"full_name": "Lãnh đạo tỉnh (đo)"}
    )
    province = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("path").first()
    Position.objects.get_or_create(user=user, unit=province, role=Role.LEADER)
    return user


def cases() -> list[tuple[str, str, str | None]]:
    """(name, path, cookie) of every request measured; ``None`` is anonymous."""
    from congso.accounts.models import User
    from congso.catalog.models import Procedure
    from congso.onestop import services
    from congso.onestop.models import Dossier
    from congso.org.models import Unit, UnitKind

    people = {u.username: u for u in User.objects.filter(username__contains=".")}
    commune, leader = people["motcua.nghilong"], people["lanhdao.nghiloc"]
    desk, clerk = people["motcua.nghiloc"], people["vanthu.nghiloc"]
    province = _province_leader()
    cookies = {u.username: _session(u) for u in (commune, leader, desk, clerk, province)}

    def newest(user) -> str:
        return services.visible_dossiers(user).order_by("-filed_at", "-id").first().code

    known = Dossier.objects.exclude(applicant_id_number="").order_by("-id").first()
    procedure = Procedure.objects.filter(is_active=True).order_by("code").first()
    today = dt.date.today()
    year_ago = today - dt.timedelta(days=364)
    district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path").first()
    found = []
    for who, user in (
        ("commune officer", commune),
        ("district leader", leader),
        ("province leader", province),
    ):
        c = cookies[user.username]
        found += [
            (f"desk page /onestop/ — {who}", "/onestop/", c),
            (f"queue to_process — {who}", "/onestop/?tab=to_process", c),
            (f"dossier list API — {who}", "/api/v1/dossiers/", c),
            (f"dossier detail API — {who}", f"/api/v1/dossiers/{newest(user)}/", c),
        ]
    c = cookies[desk.username]
    found += [
        ("desk page /onestop/ — district desk", "/onestop/", c),
        ("queue overdue — district desk", "/onestop/?tab=overdue", c),
        (
            "incoming register — clerk",
            "/documents/registers/?direction=incoming",
            cookies[clerk.username],
        ),
        (
            "outgoing register — clerk",
            "/documents/registers/?direction=outgoing",
            cookies[clerk.username],
        ),
        (
            "period report — district leader",
            f"/onestop/print/report/?unit={district.pk}&start={year_ago:%d/%m/%Y}&end={today:%d/%m/%Y}",
            cookies[leader.username],
        ),
        ("dashboard — district leader", "/dashboard/", cookies[leader.username]),
        (
            "public lookup API",
            f"/api/v1/lookup/?code={known.code}&id_number={known.applicant_id_number}",
            None,
        ),
        ("procedure page", f"/procedures/{procedure.code}/", None),
    ]
    return found, cookies[leader.username]


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def start_server(
    port: int, root: Path = ROOT, workers: int = RUN_WEB_WORKERS, **extra_env: str
) -> subprocess.Popen:
    """granian exactly as ``make run`` starts it (``ops.roles.web_argv``: a worker process per
    core, four blocking threads each), serving the source tree ``root`` (another version's, for a
    before/after comparison in one run, with the ``workers`` its own ``make run`` started)."""
    if not _free(port):
        sys.exit(f"Cổng {port} đang bận.")
    env = dict(os.environ, **extra_env)
    env["DJANGO_SETTINGS_MODULE"] = "bench.server_settings"
    env["PYTHONPATH"] = f"{root / 'src'}:{root}"
    env.setdefault("CONGSO_LOOKUP_RATE", "1000000/min")  # wrk is one client address
    command = web_argv("127.0.0.1", port, workers)
    server = subprocess.Popen(command, env=env, cwd=root)
    for _ in range(600):  # a loaded machine starts it slowly
        time.sleep(0.2)
        if not _free(port):
            return server
    server.kill()
    sys.exit("Máy chủ không khởi động được.")


def _get(base: str, path: str, cookie: str | None) -> tuple[int, float]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=300)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, (time.perf_counter() - started) * 1000


LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(base: str, path: str, cookie: str | None, seconds: int, connections: int) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", base + path]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = {int(p): _ms(v, u) for p, v, u in LATENCY.findall(out)}
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rate,
        "p50_ms": latency.get(50),
        "p99_ms": latency.get(99),
        "non_2xx": int(bad.group(1)) if bad else 0,
    }


def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True, help="tên lần đo, ví dụ 100k")
    parser.add_argument("--port", type=int, default=9500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--only", action="append", default=[], help="chỉ đo các trường hợp có chuỗi này (lặp được)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in url:
        sys.exit("DATABASE_URL phải trỏ tới cơ sở dữ liệu đo (tên chứa “bench”).")
    _django(url)
    from django.db import connection

    measured, leader_cookie = cases()
    measured = [c for c in measured if not args.only or any(o in c[0] for o in args.only)]
    baselines = [
        ("empty view, anonymous", "/bench/empty/", None),
        ("empty view, logged in", "/bench/empty/", leader_cookie),
    ]
    from congso.onestop.models import Dossier

    size = Dossier.objects.count()
    connection.close()
    server = start_server(args.port)
    base = f"http://127.0.0.1:{args.port}"
    results: dict[str, dict] = {}
    try:
        for name, path, cookie in baselines + measured:  # warm the worker, check every answer
            status, _ = _get(base, path, cookie)
            if status != 200:
                raise SystemExit(f"{name}: HTTP {status} ({path})")
        for _round in range(args.rounds):
            for name, path, cookie in measured:
                _clear_cache()
                status, cold = _get(base, path, cookie)
                entry = results.setdefault(name, {"path": path, "cold_ms": [], "warm": []})
                entry["cold_ms"].append(cold)
                for bname, bpath, bcookie in baselines:  # the baseline beside every case
                    base_entry = results.setdefault(
                        bname, {"path": bpath, "cold_ms": [], "warm": []}
                    )
                    base_entry["warm"].append(wrk(base, bpath, bcookie, 1, args.connections))
                entry["warm"].append(wrk(base, path, cookie, args.seconds, args.connections))
    finally:
        server.terminate()
        server.wait(timeout=20)
    summary = _summarise(results)
    payload = {
        "label": args.label,
        "dossiers": size,
        "machine": machine(),
        "rounds": args.rounds,
        "seconds": args.seconds,
        "connections": args.connections,
        "cases": summary,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"http-{args.label}.json"
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    print(_table(summary, size))
    print(f"\n→ {out}")


def _summarise(results: dict) -> dict:
    empty = results["empty view, logged in"]["warm"]
    empty_rps = sorted(r["rps"] for r in empty)[len(empty) // 2]
    empty_p50 = percentile([r["p50_ms"] for r in empty], 0.5)
    summary = {}
    for name, entry in results.items():
        rps = sorted(r["rps"] for r in entry["warm"])[len(entry["warm"]) // 2]
        p50 = percentile([r["p50_ms"] for r in entry["warm"]], 0.5)
        summary[name] = {
            "path": entry["path"],
            "rps": rps,
            "p50_ms": p50,
            "p99_ms": max(r["p99_ms"] for r in entry["warm"]),
            "cold_ms": percentile(entry["cold_ms"], 0.5) if entry["cold_ms"] else None,
            "p50_over_empty": p50 / empty_p50,
            # a case slower than the wrk run completes no request: rps 0
            "empty_rps_over_rps": empty_rps / rps if rps else None,
            "non_2xx": sum(r["non_2xx"] for r in entry["warm"]),
        }
    return summary


def _table(summary: dict, size: int) -> str:
    lines = [
        f"{size:,} dossiers",
        "",
        "| request | req/s | p50 | p99 | cold | p50 / empty logged in |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, s in summary.items():
        cold = f"{s['cold_ms']:.1f} ms" if s["cold_ms"] else "—"
        lines.append(
            f"| {name} | {s['rps']:,.0f} | {s['p50_ms']:.1f} ms | {s['p99_ms']:.1f} ms "
            f"| {cold} | {s['p50_over_empty']:.1f}× |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
