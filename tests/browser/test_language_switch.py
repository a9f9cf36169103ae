"""The language switch in the header turns the site to English and back, staying on the page."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .navigation import follow

pytestmark = pytest.mark.browser


def test_switch_to_english_and_back(page, site, screenshot):
    page.goto(site.url("accounts:login"))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "vi")

    follow(page, page.get_by_role("button", name="English"))
    expect(html).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == reverse("accounts:login")
    screenshot(page, "english")

    follow(page, page.get_by_role("button", name="Tiếng Việt"))
    expect(html).to_have_attribute("lang", "vi")
    assert urlsplit(page.url).path == reverse("accounts:login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
