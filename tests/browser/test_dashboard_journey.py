"""The dashboard in the browser: the district leader opens the overview (headline figures with
their traffic lights and the SVG charts), drills down into a commune, and downloads the Excel
workbook, which opens with openpyxl and holds the numbers the page showed. Screenshots are kept
for docs/dashboard.md."""

import datetime as dt

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from congso.dashboard import store
from congso.demo import history

from .navigation import follow

pytestmark = pytest.mark.browser


@pytest.fixture
def activity(demo):
    """Two months of one-stop work at the district and every commune, and its daily facts."""
    end = timezone.now()
    history.generate(300, start=end - dt.timedelta(days=60), end=end, seed=7, documents=True)
    today = timezone.localdate()
    store.refresh(today - dt.timedelta(days=61), today)
    return demo


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_overview_drill_down_and_excel(desktop_page, site, activity, screenshot, tmp_path):
    page = desktop_page
    site.submit_login(page, "lanhdao.nghiloc")
    page.goto(site.url("dashboard:overview", query={"kind": "year"}))
    expect(page.get_by_role("heading", name="Bảng điều hành chuyển đổi số")).to_be_visible()
    card = page.locator("[data-key=on_time_rate] .kpi__value")
    shown = card.inner_text().strip()
    assert shown.endswith("%")
    expect(page.locator("svg.chart").first).to_be_visible()
    screenshot(page, "overview")

    with page.expect_download() as download:
        page.get_by_role("button", name="Tải Excel").click()
    path = tmp_path / "bang-dieu-hanh.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path)["Tổng quan"]
    cells = {row[0]: row[2] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert f"{cells['on_time_rate']:.1f}".replace(".", ",") + "%" == shown
    received = page.locator("tr[data-key=received] td").first.inner_text().strip()
    assert f"{cells['received']:,}".replace(",", ".") == received

    ranking = page.locator("#h-rank ~ .chart-pair table tbody tr th a").first
    commune = ranking.inner_text().strip()
    follow(page, ranking)
    expect(page.locator("p.meta").first).to_contain_text(commune)
    screenshot(page, "commune")
    page.get_by_role("link", name="Chi tiết theo thủ tục").click()
    expect(page.get_by_role("heading", name="Chỉ tiêu theo thủ tục")).to_be_visible()
    expect(page.locator("table tbody tr").first).to_be_visible()
    screenshot(page, "procedures")


def test_overview_fits_a_phone(page, site, activity, screenshot):
    site.submit_login(page, "lanhdao.nghiloc")
    page.goto(site.url("dashboard:overview"))
    expect(page.locator("[data-testid=headline]")).to_be_visible()
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1 && !e.closest('.table-wrap')).map(e => e.tagName + '.'"
        " + e.className).slice(0, 5)"
    )
    assert fits(page), wide
    screenshot(page, "phone")
