"""The system administrator must pass the second factor (TOTP) before reaching anything."""

import time
from urllib.parse import urlsplit

import pyotp
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .navigation import follow

pytestmark = pytest.mark.browser

WRONG_CODE_ERROR = "Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã mới."


def path_of(page) -> str:
    return urlsplit(page.url).path


def a_wrong_code(secret: str) -> str:
    """A six-digit code that no time step around now accepts."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    accepted = {totp.at(now, counter_offset=step) for step in range(-2, 3)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in accepted)


def submit_code(page, code: str):
    form = page.locator("main form")
    form.locator("input[name=code]").fill(code)
    follow(page, form.locator("button[type=submit]"))


def test_admin_enrols_totp_then_reaches_workspace(desktop_page, site, demo, screenshot):
    page = desktop_page
    site.submit_login(page, "admin")
    assert path_of(page) == reverse("accounts:totp")
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert len(secret) >= 16
    screenshot(page, "enrol")

    submit_code(page, a_wrong_code(secret))
    assert path_of(page) == reverse("accounts:totp")
    expect(page.locator("main")).to_contain_text(WRONG_CODE_ERROR)
    screenshot(page, "wrong-code")

    page.goto(site.url("core:audit_log"))
    assert path_of(page) == reverse("accounts:totp")
    page.goto(site.url("accounts:workspace"))
    assert path_of(page) == reverse("accounts:totp")

    submit_code(page, pyotp.TOTP(secret).now())
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    screenshot(page, "recovery-codes")
    follow(page, page.get_by_role("link", name="Đã lưu mã, tiếp tục"))
    assert path_of(page) == reverse("accounts:workspace")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quản trị hệ thống")
    screenshot(page, "workspace")
