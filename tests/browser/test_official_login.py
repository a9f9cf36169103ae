"""An official without administrative rights logs in with a password only and lands on the
workspace that names their position."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from congso.accounts.models import Position

pytestmark = pytest.mark.browser


def test_official_lands_on_workspace_with_position(desktop_page, site, demo, screenshot):
    page = desktop_page
    site.submit_login(page, "motcua.nghilong")

    assert urlsplit(page.url).path == reverse("accounts:workspace")
    position = Position.objects.select_related("unit").get(user__username="motcua.nghilong")
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text(position.user.get_full_name())
    expect(main).to_contain_text(position.get_role_display())
    expect(main).to_contain_text(position.unit.name)
    expect(main).to_contain_text(position.title)
    screenshot(page)


def test_wrong_password_is_refused_in_vietnamese(page, site, demo, screenshot):
    site.submit_login(page, "motcua.nghilong", "mat-khau-sai")

    assert urlsplit(page.url).path == reverse("accounts:login")
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    expect(page.locator("input[name=username]")).to_have_value("motcua.nghilong")
    screenshot(page)
