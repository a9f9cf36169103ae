"""Save what the period report and the dashboard pages answer, to prove a speed-up changed no
answer: the HTML of the report page (by unit and by procedure) and of the dashboard's overview,
per-procedure and Decision 766 pages, for a commune, a district and a province leader, over
several periods (the running year, the last 365 days, ended months, quarters and years, the
units below), all at one fixed instant (``--now``; ``timezone.now`` is replaced, so "open now"
reads alike in both runs). CSRF tokens and CSP nonces are blanked. Run it before and after a
change, each in a fresh process, then ``diff -r`` the two folders.

    DATABASE_URL=… CONGSO_CACHE_URL=… .venv/bin/python bench/snapshot_reports.py \\
        --now 2026-12-03T20:00:00+07:00 --out /tmp/before
"""

import datetime as dt
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.server_settings")

from bench import snapshots  # noqa: E402
from bench.bench_http import _province_leader  # noqa: E402
from bench.snapshots import client_for, save  # noqa: E402


def _periods(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The running year, the last 365 days (what ``bench_http`` opens), this month so far, an
    ended month, quarter and half-year, a day, and the year before (partly without facts)."""
    first = today.replace(day=1)
    last_month_end = first - dt.timedelta(days=1)
    return [
        (today.replace(month=1, day=1), today),
        (today - dt.timedelta(days=364), today),
        (first, today),
        (last_month_end.replace(day=1), last_month_end),
        (dt.date(today.year, 7, 1), dt.date(today.year, 9, 30)),
        (dt.date(today.year, 1, 1), dt.date(today.year, 6, 30)),
        (last_month_end, last_month_end),
        (today - dt.timedelta(days=730), today - dt.timedelta(days=366)),
    ]


def _report_paths(units, today) -> list[str]:
    paths = ["/onestop/print/report/"]  # first opening: this month, the first unit
    for unit in units:
        for start, end in _periods(today):
            for by in ("unit", "procedure"):
                query = {"unit": unit.pk, "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
                paths.append(f"/onestop/print/report/?{urlencode({**query, 'by': by})}")
    paths.append("/onestop/print/report/?unit=999999&start=01/01/2026&end=31/12/2026")  # 400
    paths.append("/onestop/print/report/?start=31/12/2026&end=01/01/2026")  # 400
    return paths


def _dashboard_paths(units, today) -> list[str]:
    paths = ["/dashboard/"]  # first opening: this month, the top unit
    for unit in units:
        for kind in ("month", "quarter", "year"):
            for day in (today, today.replace(day=1) - dt.timedelta(days=40)):
                query = urlencode({"unit": unit.pk, "kind": kind, "day": f"{day:%d/%m/%Y}"})
                paths += [f"/dashboard/?{query}", f"/dashboard/procedures/?{query}"]
        start, end = today - dt.timedelta(days=364), today
        custom = {"unit": unit.pk, "kind": "custom", "start": f"{start:%d/%m/%Y}"}
        paths.append(f"/dashboard/?{urlencode({**custom, 'end': f'{end:%d/%m/%Y}'})}")
        paths.append(f"/dashboard/index766/?{urlencode({'unit': unit.pk, 'kind': 'year'})}")
    paths.append("/dashboard/?kind=custom&start=01/01/2026")  # 400: no end
    return paths


def _units(user, action: str):
    """The top unit of the user's scope and at most two below it."""
    from congso.accounts.permissions import acting_units

    scope = list(acting_units(user, action).order_by("path"))
    return scope[:1] + [u for u in scope[1:] if u.parent_id == scope[0].pk][:2]


def main() -> None:
    out = snapshots.start(__doc__)
    from django.utils import timezone

    from congso.accounts.models import User

    today = timezone.localdate()
    people = {u.username: u for u in User.objects.filter(username__contains=".")}
    roles = [people["lanhdao.nghilong"], people["lanhdao.nghiloc"], _province_leader()]
    saved = 0
    for user in roles:
        client = client_for(user)
        paths = _report_paths(_units(user, "onestop.report"), today)
        paths += _dashboard_paths(_units(user, "dashboard.view"), today)
        for i, path in enumerate(paths):
            response = client.get(path)
            assert response.status_code in (200, 400), (user.username, path, response.status_code)
            body = f"{path}\n{response.status_code}\n".encode() + response.content
            save(out, f"{user.username}-{i:03d}.html", body)
            saved += 1
    print(f"{saved} pages → {out}")


if __name__ == "__main__":
    main()
