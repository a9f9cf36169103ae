"""The period report page and the dashboard read the daily facts, never the dossiers' history: the
same requests are counted over N and 3N generated dossiers (``history.generate``, the benchmark's
own generator, facts recomputed) and must cost exactly as many queries both times, for a commune,
a district and a province leader."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congso.accounts.models import Position, Role, User
from congso.dashboard import store
from congso.demo import history
from congso.inbox.services import header_count
from congso.notify.services import bell_count
from congso.onestop.models import Dossier

SMALL, LARGE = 40, 120
DAYS = 90


@pytest.fixture
def leaders(demo):
    province = User.objects.create_user("lanhdao.tinh", password="x", full_name="Lãnh đạo tỉnh")
    Position.objects.create(user=province, unit=demo["units"]["province"], role=Role.LEADER)
    people = demo["people"]
    return [people["lanhdao.nghilong"], people["lanhdao.nghiloc"], province]


def _generate(demo, count: int, seed: int) -> None:
    """``count`` dossiers over the last ``DAYS`` days at the district and the demo commune, and
    their facts (as the nightly job leaves them: nothing stale)."""
    units = demo["units"]
    localities = [units["district"], units["Xã Nghi Long"]]
    history.generate(count, days=DAYS, seed=seed, localities=localities)
    today = timezone.localdate()
    store.refresh(today - dt.timedelta(days=DAYS + 1), today)


def _pages(user) -> list[str]:
    from congso.accounts.permissions import acting_units

    unit = acting_units(user, "onestop.report").order_by("path").first()
    today = timezone.localdate()
    year_ago, month_end = today - dt.timedelta(days=364), today.replace(day=1) - dt.timedelta(1)
    report = f"/onestop/print/report/?unit={unit.pk}"
    return [
        f"{report}&start={year_ago:%d/%m/%Y}&end={today:%d/%m/%Y}",  # running: open ones now
        f"{report}&start={year_ago:%d/%m/%Y}&end={today:%d/%m/%Y}&by=procedure",
        f"{report}&start={month_end.replace(day=1):%d/%m/%Y}&end={month_end:%d/%m/%Y}",  # ended
        "/dashboard/",  # this month, running
        "/dashboard/?kind=year",
        f"/dashboard/?kind=month&day={month_end:%d/%m/%Y}",  # ended
    ]


def _queries(client, user, url: str) -> int:
    client.force_login(user)
    # the header's inbox and bell counts are cached a minute: measure the page itself
    header_count(user)
    bell_count(user)
    client.get(url)  # the other sources' figures are cached 5 minutes: measure them cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # like for like: every page measured shows figures, at both sizes
    shown = response.context.get("report") or response.context.get("board")
    assert shown is not None, (user.username, url)
    assert shown.rows if hasattr(shown, "rows") else shown.units or shown.trend, url
    return len(captured.captured_queries)


def _measure(client, users) -> dict:
    return {(u.username, url): _queries(client, u, url) for u in users for url in _pages(u)}


def test_report_and_dashboard_cost_the_same_with_three_times_the_history(demo, leaders, client):
    _generate(demo, SMALL, seed=7)
    small = _measure(client, leaders)
    _generate(demo, LARGE - SMALL, seed=8)
    assert Dossier.objects.count() == LARGE
    large = _measure(client, leaders)
    assert large == small
    # measured 03/12/2026 (SQLite, the database cache: the header's counts and the session are
    # queries too). The report page: 8–11, was 13–14 — the user and positions, the form's units
    # (no count of them, no server-side cursor for the select box, no query to check the
    # choice), the subtree with its names, stale days?, one grouped read of the facts (was
    # three), the dossiers open now (a running period), the procedures' names (by procedure)
    assert max(n for (_, url), n in large.items() if "/report/" in url) <= 11
    # the overview: 9–11, was 23–24 — the form's units, the subtree's units read once (the units
    # below, the communes and the trend from that list), one grouped read of the facts, the
    # dossiers open now, the months, the other sources' cached figures in one read
    assert max(n for (_, url), n in large.items() if "/dashboard/" in url) <= 11
