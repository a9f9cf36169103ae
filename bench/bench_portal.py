"""Citizen portal speed: catalogue search over 2,000 procedures and an online submission with two
1 MB uploads, each as a ratio to an empty endpoint measured in the same run.

Run: ``DATABASE_URL=… .venv/bin/python bench/bench_portal.py [--procedures 2000] [--rounds 100]``.
The database named by ``DATABASE_URL`` (default: a SQLite file under /tmp; a PostgreSQL name must
contain ``bench``) is rebuilt: migrations, the demo district, then synthetic procedures up to
``--procedures`` exactly as ``bench_search`` makes them.

Every figure is server time through Django's test ``Client`` (middleware, view, queries,
rendering, file storage), no network:

* **empty** — ``GET /bench/empty/``, a view returning an empty 200, logged in as the citizen.
* **search** — ``GET /procedures/?q=…``, the public search page the portal links to (rank, count,
  first page of 20), queries with and without diacritics and with a typo, in turn.
* **upload** — one ``POST`` of a 1 MB PDF to a draft's documents page (content sniffing, PDF
  parsing, storage).
* **submit** — one whole submission: two 1 MB uploads, then ``POST`` of the check-answers page
  (``file_online``: code, dossier, documents copied, notification queued). Drafts are prepared
  (unit and declaration) outside the timing.

Throughput is rounds per second of wall time for the measured calls on one process. Prints a
markdown table and writes ``bench/results/bench_portal_<database>.json``.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_search  # noqa: E402
import common  # noqa: E402

from congso.portal.examples import BIRTH_ANSWERS  # noqa: E402

SCRATCH = Path(tempfile.gettempdir()) / "congso-bench-portal"
DEFAULT_URL = f"sqlite:///{SCRATCH}.sqlite3"


def _args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=100)
    return parser.parse_args()


def empty(request):
    from django.http import HttpResponse

    return HttpResponse(b"")


def _urlpatterns():
    from django.urls import include, path

    return [path("bench/empty/", empty), path("", include("congso.urls"))]


def _megabyte_pdf(seed: int) -> bytes:
    """A real PDF of about 1 MB: one page with a photo-like (incompressible) image."""
    import base64
    import random

    import weasyprint
    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", (600, 580), rng.randbytes(600 * 580 * 3))
    png = io.BytesIO()
    image.save(png, format="PNG")
    src = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
    return weasyprint.HTML(string=f'<img src="{src}" style="width:15cm">').write_pdf()


def _drafts(citizen, count: int):
    from congso.catalog.models import Procedure
    from congso.org.models import Unit
    from congso.portal import services

    birth = Procedure.objects.get(code="1.001193")
    commune = Unit.objects.get(name__icontains="Nghi Long", kind="commune")
    drafts = []
    for _ in range(count):
        draft = services.start_draft(citizen, birth)
        services.set_unit(draft, commune.pk)
        services.save_answers(draft, BIRTH_ANSWERS)
        services.set_delivery(draft, "online")
        drafts.append(draft)
    required = [
        d.pk
        for d in birth.current_version().documents.all()
        if d.mandatory and not d.is_declaration
    ]
    return drafts, required


def _throughput(timing) -> float:
    return round(1000 / timing.mean_ms, 1)


def main():
    args = _args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    common.ensure_database(url, fresh=True)
    common.setup_django(url, scratch="congso-bench-portal")
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from congso.accounts.models import User
    from congso.demo.loaders import load_all

    load_all()
    bench_search._fill(args.procedures)
    from congso.catalog.models import Procedure

    total = Procedure.objects.count()
    citizen = User.objects.get(username="congdan.an")
    client = Client()
    client.force_login(citizen)
    rounds, warmup = args.rounds, 5
    drafts, required = _drafts(citizen, 2 * (rounds + warmup))
    pdfs = [_megabyte_pdf(1), _megabyte_pdf(2)]
    sys.modules["bench_portal_urls"] = type(sys)("bench_portal_urls")
    sys.modules["bench_portal_urls"].urlpatterns = _urlpatterns()

    def upload(draft, index):
        response = client.post(
            reverse("portal:draft_documents", args=[draft.public_id]),
            {"document": required[index], "file": SimpleUploadedFile(f"{index}.pdf", pdfs[index])},
        )
        if response.status_code != 302:
            raise SystemExit(f"upload → {response.status_code}: {response.content[:300]!r}")

    def upload_only(i):
        upload(drafts[i], 0)

    fresh = iter(drafts[rounds + warmup :])

    def submit(i):
        draft = next(fresh)  # ``measure`` reuses round numbers after the warm-up
        upload(draft, 0)
        upload(draft, 1)
        response = client.post(reverse("portal:draft_check", args=[draft.public_id]))
        if response.status_code != 302:
            raise SystemExit(f"submit → {response.status_code}: {response.content[:300]!r}")

    def search(i):
        query = bench_search.QUERIES[i % len(bench_search.QUERIES)]
        return f"/procedures/?q={query}"

    started = time.perf_counter()
    with override_settings(ROOT_URLCONF="bench_portal_urls", ALLOWED_HOSTS=["*"]):
        measure = common.measure
        baseline = measure(
            "Nền: trang rỗng", "GET /bench/empty/", common.get_ok(client, "/bench/empty/"),
            rounds=rounds * 3,
        )  # fmt: skip
        timings = [
            baseline,
            measure(
                f"Tìm thủ tục ({total:,} thủ tục)", "GET /procedures/?q=…",
                common.get_ok(client, search), rounds=rounds * 3,
            ),
            measure(
                "Tải lên một tệp PDF 1 MB", "POST draft documents (1 MB)", upload_only,
                rounds=rounds, warmup=warmup,
            ),
            measure(
                "Nộp hồ sơ: 2 tệp 1 MB + nộp", "2 × upload + POST check (file_online)", submit,
                rounds=rounds, warmup=warmup,
            ),
        ]  # fmt: skip
    wall = time.perf_counter() - started
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"\n{total:,} thủ tục · {connection.vendor} · bộ đệm {cache} · {rounds} lượt\n")
    print(common.table(timings, baseline))
    print("\nThông lượng (một tiến trình): " + ", ".join(
        f"{t.name}: {_throughput(t)}/s" for t in timings
    ))  # fmt: skip
    path = common.write_results(
        f"bench_portal_{connection.vendor}",
        {
            "procedures": total,
            "database": connection.vendor,
            "cache": settings.CACHES["default"]["BACKEND"],
            "upload_bytes": [len(p) for p in pdfs],
            "throughput_per_s": {t.name: _throughput(t) for t in timings},
            "wall_seconds": round(wall, 1),
        },
        timings,
        baseline,
    )
    print(f"\nKết quả: {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
