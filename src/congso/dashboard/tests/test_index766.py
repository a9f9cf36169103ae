"""The Decision 766 index from the daily facts equals the same formulas computed dossier by
dossier (the drill-down lists), on random data; the index page shows formula, numerator,
denominator and the dossiers behind a criterion (issue 15 item 4)."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from congso.core.periods import Period
from congso.dashboard import board, index766, store
from congso.dashboard.indicators import PARTS, evaluate
from congso.onestop import facts, indicators766

from .test_facts import END, START, random_data  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("key", indicators766.KEYS)
def test_facts_and_dossier_level_agree(random_data, key):  # noqa: F811
    store.refresh(START - dt.timedelta(days=1), END)
    ids = [u.pk for u in random_data["units"]]
    for start, end in [(START, END), (START + dt.timedelta(days=5), END - dt.timedelta(days=3))]:
        figures = {"onestop": store.onestop_figures(ids, start, end)}
        numerator, denominator = indicators766.dossiers_behind(key, ids, Period(start, end))
        assert PARTS[key](figures) == (len(numerator), len(denominator)), (key, start, end)
        assert numerator <= denominator


def test_raw_totals_give_the_same_index(random_data):  # noqa: F811
    store.refresh(START - dt.timedelta(days=1), END)
    ids = [u.pk for u in random_data["units"]]
    stored = {"onestop": store.onestop_figures(ids, START, END)}
    raw = {"onestop": facts.raw_totals(ids, START, END)}
    assert index766.compute(evaluate(stored), figures=stored) == index766.compute(
        evaluate(raw), figures=raw
    )


def test_index_page_drills_down_to_the_dossiers(client, random_data, district):  # noqa: F811
    from congso.accounts.models import Role
    from congso.accounts.tests.factories import OfficialFactory, PositionFactory

    store.refresh(START - dt.timedelta(days=1), END)
    user = OfficialFactory()
    PositionFactory(user=user, unit=district, role=Role.LEADER)
    client.force_login(user)
    params = {"unit": district.pk, "kind": "custom", "start": "20/12/2025", "end": "12/01/2026"}
    response = client.get(reverse("dashboard:index766"), {**params, "criterion": "on_time_rate"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn" in html and "Mẫu số" in html
    drill = response.context["drill"]
    criterion = response.context["criterion"]
    assert (drill["numerator"], drill["denominator"]) == (
        criterion.numerator,
        criterion.denominator,
    )
    items = drill["numerator_items"]
    assert items and all(f'href="{url}"' in html for _code, url in items)
    # every criterion drills down, its lists adding up to the table's counts; its page shows
    # the formula, the legal basis and, where the annex is not verified, says so
    for other in response.context["board"].index.criteria:
        page = client.get(reverse("dashboard:index766"), {**params, "criterion": other.key})
        drill, section = page.context["drill"], _drill_section(page)
        assert drill is not None, other.key
        assert (drill["numerator"], drill["denominator"]) == (
            other.numerator,
            other.denominator,
        ), other.key
        assert other.formula in section and other.basis in section, other.key
        assert ("chưa đối chiếu" in section) is (not other.verified), other.key
    # all 100 points, each with data (no criterion "không có số liệu")
    total = board.build(district, Period(START, END), details=False).index
    assert sum(c.points for c in total.criteria) == 100
    assert all(c.available and c.denominator is not None for c in total.criteria)


def _drill_section(page) -> str:
    text = page.content.decode()
    return html.unescape(text[text.index('id="h-drill"') :])
