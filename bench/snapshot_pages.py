"""Save what the pages answer, to prove a speed-up changed no answer: the detail API's JSON of
many dossiers (every state) for three roles, and the HTML of the desk page, every queue, filtered
and paged lists and dossier pages for four officials, all at one fixed instant (``--now``;
``timezone.now`` is replaced, so deadlines and urgency read alike in both runs). CSRF tokens and
CSP nonces are blanked. Run it before and after a change, then ``diff -r`` the two folders.

    DATABASE_URL=… CONGSO_CACHE_URL=… .venv/bin/python bench/snapshot_pages.py \\
        --now 2026-12-03T08:00:00+07:00 --out /tmp/before
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.server_settings")

from bench import snapshots  # noqa: E402
from bench.bench_http import _province_leader  # noqa: E402
from bench.snapshots import client_for, save  # noqa: E402

PER_STATE = 8  # dossiers of each state per official


def _sample(user) -> list[str]:
    """Up to ``PER_STATE`` of the newest visible dossiers of each state."""
    from congso.onestop import services
    from congso.onestop.lifecycle import State

    visible = services.visible_dossiers(user).order_by("-filed_at", "-id")
    codes = []
    for state in State.values:
        codes += visible.filter(state=state).values_list("code", flat=True)[:PER_STATE]
    return codes


def _pages(user) -> list[str]:
    """The desk page, every tab, filtered and second pages, and dossier pages of ``user``."""
    from congso.catalog.models import Procedure, Sector
    from congso.onestop import queues

    procedure = Procedure.objects.filter(is_active=True).order_by("code").first()
    sector = Sector.objects.order_by("pk").first()
    paths = ["/onestop/", "/onestop/?tab=all", "/onestop/?tab=all&page=2"]
    paths += [f"/onestop/?tab={q.key}" for q in queues.QUEUES]
    paths += [
        "/onestop/?tab=all&q=nguyen",
        "/onestop/?tab=all&status=returned&page=3",
        f"/onestop/?tab=all&procedure={procedure.pk}",
        f"/onestop/?tab=all&sector={sector.pk}",
        "/onestop/?tab=all&channel=online&received_from=01/06/2026&received_to=30/11/2026",
        "/onestop/?tab=overdue&q=2026",
    ]
    paths += [f"/onestop/dossiers/{code}/" for code in _sample(user)[::3]]
    return paths


def main() -> None:
    out = snapshots.start(__doc__)
    from congso.accounts.models import User

    people = {u.username: u for u in User.objects.filter(username__contains=".")}
    api_roles = [people["motcua.nghilong"], people["lanhdao.nghiloc"], _province_leader()]
    page_roles = [*api_roles, people["motcua.nghiloc"]]
    answers = pages = 0
    for user in api_roles:
        client = client_for(user)
        for code in _sample(user):
            response = client.get(f"/api/v1/dossiers/{code}/")
            assert response.status_code == 200, (user.username, code, response.status_code)
            body = json.dumps(response.json(), ensure_ascii=False, indent=1).encode()
            save(out, f"api-{user.username}-{code}.json", body)
            answers += 1
    for user in page_roles:
        client = client_for(user)
        for i, path in enumerate(_pages(user)):
            response = client.get(path)
            assert response.status_code == 200, (user.username, path, response.status_code)
            save(
                out, f"page-{user.username}-{i:03d}.html", path.encode() + b"\n" + response.content
            )
            pages += 1
    print(f"{answers} detail answers, {pages} pages → {out}")


if __name__ == "__main__":
    main()
