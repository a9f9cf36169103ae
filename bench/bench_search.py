"""Catalogue search speed, as a ratio to an indexed lookup by code measured in the same run.

Run: ``DATABASE_URL=… .venv/bin/python bench/bench_search.py [--procedures N] [--rounds R]``.
The database named by ``DATABASE_URL`` (default: a SQLite file under /tmp) is thrown away and
rebuilt: migrations, the 26 real demo procedures, then synthetic ones up to N (2,000), with
folded search columns computed exactly as the catalogue service does. A PostgreSQL database
must have ``bench`` in its name, as a guard against pointing the script at real data.

Each search is what the public search page does: rank, count, load the first page of 20. The
baseline is ``Procedure.objects.get(code=…)``. Prints a markdown table and writes
``bench/results/bench_search_<database>.json``; compare the ratios, not the milliseconds.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = Path(tempfile.gettempdir()) / "congso-bench-search"
DEFAULT_URL = f"sqlite:///{SCRATCH}.sqlite3"
QUERIES = [
    "dang ky khai sinh",
    "Đăng ký kết hôn",
    "chứng thực",
    "khai snh",
    "giấy phép xây dựng",
    "ho kinh doanh",
    "1.001612",
    "trợ cấp xã hội",
    "cap lai giay chung nhan",
    "dat dai",
]
VERBS = ["Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Thu hồi", "Đăng ký", "Xác nhận"]
OBJECTS = [
    "giấy phép kinh doanh dịch vụ karaoke",
    "giấy chứng nhận đủ điều kiện an toàn thực phẩm",
    "giấy phép khai thác nước mặt",
    "chứng chỉ hành nghề dược",
    "giấy phép hoạt động cơ sở giáo dục mầm non",
    "giấy chứng nhận kinh tế trang trại",
    "giấy phép vận tải hàng hóa",
    "giấy xác nhận thân nhân người có công",
    "giấy phép tổ chức lễ hội",
    "giấy phép sử dụng vật liệu nổ công nghiệp",
    "giấy chứng nhận quyền sở hữu rừng trồng",
    "giấy phép biểu diễn nghệ thuật",
    "giấy chứng nhận đăng ký hợp tác xã",
    "giấy phép xả thải vào công trình thủy lợi",
    "giấy phép bán lẻ sản phẩm rượu",
]
QUALIFIERS = [
    "",
    "cho hộ gia đình, cá nhân",
    "đối với tổ chức",
    "trên địa bàn cấp xã",
    "có yếu tố nước ngoài",
    "khi thay đổi chủ sở hữu",
]
SECTORS = {
    "VH": "Văn hóa",
    "YT": "Y tế",
    "GD": "Giáo dục và Đào tạo",
    "NN": "Nông nghiệp",
    "GTVT": "Giao thông vận tải",
    "CN": "Công nghiệp",
    "TNN": "Tài nguyên nước",
}


def _prepare_database(url: str) -> None:
    """Point Django at a fresh, empty database named by ``url``."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(parsed.path + suffix).unlink(missing_ok=True)
    elif parsed.scheme.startswith("postgres"):
        name = parsed.path.lstrip("/")
        if "bench" not in name:
            sys.exit(f"Từ chối: tên cơ sở dữ liệu “{name}” phải chứa “bench” (sẽ bị xoá).")
        import psycopg

        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        sys.exit(f"DATABASE_URL không được hỗ trợ: {url}")


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CONGSO_VAR_DIR", str(SCRATCH))
    os.environ.setdefault("CONGSO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill(total: int) -> None:
    """The real demo catalogue, then synthetic procedures up to ``total``."""
    from congso.catalog import services
    from congso.catalog.models import Level, OnlineMode, Procedure, Sector
    from congso.catalog.search import search_columns
    from congso.demo import catalog as demo

    services.import_catalog(demo.DATA_FILE.read_bytes(), demo.DATA_FILE.name)
    sectors = [
        Sector.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in SECTORS.items()
    ]
    rng = random.Random(20261125)
    rows = []
    for index in range(total - Procedure.objects.count()):
        name = " ".join(
            part
            for part in (rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(QUALIFIERS))
            if part
        )
        name = f"{name[0].upper()}{name[1:].lower()}"
        sector = rng.choice(sectors)
        level = rng.choice(Level.values)
        code = f"{rng.choice('123')}.{100000 + index:06d}"
        texts = [
            sector.name,
            str(dict(Level.choices)[level]),
            "Tổ chức, cá nhân có nhu cầu",
            rng.choice(["Ủy ban nhân dân cấp huyện", "Ủy ban nhân dân cấp xã", "Sở chuyên ngành"]),
            f"Giấy phép, văn bản chấp thuận về {rng.choice(OBJECTS)}",
            "Đơn đề nghị theo mẫu",
            "Bản sao giấy tờ chứng minh điều kiện",
        ]
        search_name, search_text = search_columns(code, name, texts)
        rows.append(
            Procedure(
                code=code,
                name=name,
                sector=sector,
                level=level,
                online_mode=rng.choice(OnlineMode.values),
                search_name=search_name,
                search_text=search_text,
            )
        )
    Procedure.objects.bulk_create(rows, batch_size=500)


def _timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return times


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _measure(rounds: int) -> dict:
    from django.core.paginator import Paginator
    from django.db import connection

    from congso.catalog.models import Procedure
    from congso.catalog.search import search

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalog_procedure")

    def one_search(query: str):
        page = Paginator(search(query), 20).get_page(1)
        return page.paginator.count, [p.code for p in page]

    codes = list(Procedure.objects.values_list("code", flat=True))
    rng = random.Random(7)
    baseline = _timed(lambda: Procedure.objects.get(code=rng.choice(codes)), rounds * 20)
    per_query, everything = {}, []
    for query in QUERIES:
        one_search(query)  # warm caches (SQLite vocabulary, PostgreSQL plan)
        times = _timed(lambda q=query: one_search(q), rounds)
        count, first = one_search(query)
        per_query[query] = {"results": count, "first": first[:1], "times": times}
        everything += times
    return {"baseline": baseline, "queries": per_query, "all": everything}


def _table(result: dict, vendor: str, total: int) -> str:
    base_p50 = statistics.median(result["baseline"])
    lines = [
        f"Catalogue search — {vendor}, {total} procedures, Python {platform.python_version()}",
        "",
        "| query | results | first | p50 ms | p99 ms | p50 / baseline |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for query, row in result["queries"].items():
        p50, p99 = statistics.median(row["times"]), _percentile(row["times"], 0.99)
        first = row["first"][0] if row["first"] else "—"
        lines.append(
            f"| {query} | {row['results']} | {first} | {p50 * 1e3:.2f} | {p99 * 1e3:.2f} | "
            f"{p50 / base_p50:.1f}× |"
        )
    every = result["all"]
    p50, p99 = statistics.median(every), _percentile(every, 0.99)
    throughput = len(every) / sum(every)
    base_rate = len(result["baseline"]) / sum(result["baseline"])
    lines += [
        f"| **all searches** | | | {p50 * 1e3:.2f} | {p99 * 1e3:.2f} | {p50 / base_p50:.1f}× |",
        f"| baseline: get by code | 1 | | {base_p50 * 1e3:.3f} | "
        f"{_percentile(result['baseline'], 0.99) * 1e3:.3f} | 1.0× |",
        "",
        f"Throughput: {throughput:.0f} searches/s vs {base_rate:.0f} lookups/s "
        f"(ratio {throughput / base_rate:.3f}).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=30, help="runs of each query")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)

    _prepare_database(url)
    _setup_django(url)
    from django.db import connection, connections

    began = time.perf_counter()
    _fill(args.procedures)
    filled = time.perf_counter() - began
    result = _measure(args.rounds)
    vendor = connection.vendor
    print(_table(result, vendor, args.procedures))
    print(f"\n(Setup: {filled:.1f} s to create the catalogue.)")
    out = ROOT / "bench" / "results" / f"bench_search_{vendor}.json"
    out.parent.mkdir(exist_ok=True)
    summary = {
        "database": vendor,
        "procedures": args.procedures,
        "rounds": args.rounds,
        "baseline_p50_s": statistics.median(result["baseline"]),
        "queries": {
            q: {
                "results": r["results"],
                "p50_s": statistics.median(r["times"]),
                "p99_s": _percentile(r["times"], 0.99),
            }
            for q, r in result["queries"].items()
        },
        "all_p50_s": statistics.median(result["all"]),
        "all_p99_s": _percentile(result["all"], 0.99),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    connections.close_all()
    if not args.keep:
        _prepare_database(url) if vendor == "sqlite" else _drop(url)


def _drop(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}"')


if __name__ == "__main__":
    main()
