"""End-to-end journeys in Debian's Chromium, driven by Playwright against pytest-django's live
server.

The browser is the system one (``/usr/bin/chromium``): Playwright's own download is never used,
so the suite runs offline on a plain Debian machine. Pages open at 360×740 (a common phone)
because most citizens reach the portal from a phone; a desktop page serves the officials'
journeys. Every test can save screenshots under ``var/screenshots/`` for the user manual, and a
failing test leaves one behind to show what the browser saw.
"""

import os
import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from .navigation import follow

# Playwright's sync API runs an event loop in this thread; Django would then refuse the ORM calls
# of the test itself (loading the demo district, reading what the pages should show).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
MOBILE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
TIMEOUT_MS = 15_000
SCREENSHOT_DIR = settings.VAR_DIR / "screenshots"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's outcome on the item so the page fixtures know a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _shot_name(request, label: str = "") -> str:
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    return f"{name}-{label}" if label else name


def _open_page(browser, request, **context_options):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    failure_shot = SCREENSHOT_DIR / f"{_shot_name(request, 'failure')}.png"
    if report is not None and report.failed:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=failure_shot, full_page=True)
    else:
        failure_shot.unlink(missing_ok=True)
    context.close()


@pytest.fixture
def page(browser, request):
    """A phone: 360×740, touch, Vietnamese browser language."""
    yield from _open_page(browser, request, viewport=MOBILE, is_mobile=True, has_touch=True)


@pytest.fixture
def desktop_page(browser, request):
    """An office computer's browser window."""
    yield from _open_page(browser, request, viewport=DESKTOP)


@pytest.fixture
def screenshot(request):
    """``screenshot(page, label="")`` → ``var/screenshots/<test>[-label].png`` (whole page)."""

    def take(target_page, label: str = ""):
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{_shot_name(request, label)}.png"
        target_page.screenshot(path=path, full_page=True)
        return path

    return take


class Site:
    """The live server as a browser sees it: URLs by name and the login form."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def url(self, name: str, *args, query: dict | None = None) -> str:
        path = reverse(name, args=args)
        return f"{self.base_url}{path}" + (f"?{urlencode(query)}" if query else "")

    def submit_login(self, page, username: str, password: str | None = None) -> None:
        """Fill and send the login form; where the browser lands is for the test to check."""
        page.goto(self.url("accounts:login"))
        form = page.locator("main form")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(
            settings.DEMO_PASSWORD if password is None else password
        )
        follow(page, form.locator("button[type=submit]"))
        self.pass_second_factor(page, username)

    def pass_second_factor(self, page, username: str) -> None:
        """An enrolled signer (the demo ones share a published key) types the code the server
        accepts: the current one, else a neighbour within the drift window when an earlier login
        of the same journey already used it. Not enrolled (the administrator): left to the test."""
        import time

        import pyotp

        from congso.accounts.models import User

        user = User.objects.filter(username=username, totp_confirmed=True).first()
        if user is None:
            return
        totp = pyotp.TOTP(user.totp_secret)
        for step in (0, 1, -1):
            if urlsplit(page.url).path != reverse("accounts:totp"):
                return
            form = page.locator("main form")
            form.locator("input[name=code]").fill(totp.at(time.time(), counter_offset=step))
            follow(page, form.locator("button[type=submit]"))
        assert urlsplit(page.url).path != reverse("accounts:totp"), (
            f"{username}: the server refused the three codes of the drift window"
        )


@pytest.fixture
def site(live_server, _fresh_cache):
    return Site(live_server.url)


@pytest.fixture
def _fresh_cache(transactional_db):
    """Each journey starts with an empty cache, as it starts with an empty database: the flush
    between tests empties the model tables only, and the cache's table would carry one journey's
    marks into the next (rate limits count by client address, and every journey comes from
    127.0.0.1)."""
    from django.core.cache import caches

    caches["default"].clear()


@pytest.fixture
def demo(transactional_db):
    """The demo district (Nghi Lộc) loaded into the database the live server reads."""
    from congso.demo.loaders import load_all

    return load_all()
