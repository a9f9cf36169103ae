"""At 360 px wide (a small phone) the pages fit: nothing scrolls sideways."""

import pytest
from playwright.sync_api import expect

from .navigation import follow

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_home_fits_a_phone(page, site, demo):
    page.goto(site.url("portal:home"))
    assert page.viewport_size["width"] == PHONE_WIDTH
    assert page_width(page) <= PHONE_WIDTH


def test_procedure_page_fits_a_phone(page, site, demo, screenshot):
    page.goto(site.url("catalog:search", query={"q": "đăng ký khai sinh"}))
    follow(page, page.locator('[data-testid="procedure-result"]').first)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page_width(page) <= PHONE_WIDTH
    screenshot(page)
