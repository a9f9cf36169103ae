"""A citizen on a phone finds a procedure from the home page and reads what to bring, how long it
takes, what it costs and whether it can be done online."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .navigation import follow

pytestmark = pytest.mark.browser

RESULT = '[data-testid="procedure-result"]'


def search_from_home(page, site, words: str):
    page.goto(site.url("portal:home"))
    box = page.get_by_role("searchbox", name="Tìm thủ tục")
    box.fill(words)
    with page.expect_navigation():
        box.press("Enter")
    return page.locator(RESULT)


def test_home_page_is_vietnamese(page, site, demo, screenshot):
    page.goto(site.url("portal:home"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dịch vụ công trực tuyến")
    screenshot(page)


def test_birth_registration_found_without_diacritics(page, site, demo, screenshot):
    results = search_from_home(page, site, "dang ky khai sinh")

    address = urlsplit(page.url)
    assert address.path == reverse("catalog:search")
    assert parse_qs(address.query)["q"] == ["dang ky khai sinh"]
    expect(results.first).to_contain_text("Đăng ký khai sinh")
    screenshot(page, "results")

    follow(page, results.first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    main = page.locator("main")
    expect(main).to_contain_text("Thành phần hồ sơ")
    expect(main).to_contain_text("Giấy chứng sinh")
    expect(main).to_contain_text("Thời hạn giải quyết")
    expect(main).to_contain_text(re.compile(r"lệ phí", re.I))
    for channel in ("Trực tiếp", "Trực tuyến"):
        expect(main).to_contain_text(channel)
    badge = main.get_by_text(re.compile(r"trực tuyến (toàn trình|một phần)", re.I)).first
    expect(badge).to_be_visible()
    screenshot(page, "procedure")


def test_certification_procedures_found(page, site, demo):
    results = search_from_home(page, site, "chứng thực")

    certification = re.compile("chứng thực", re.IGNORECASE)
    expect(results.first).to_contain_text(certification)
    assert results.filter(has_text=certification).count() >= 2, results.all_inner_texts()
