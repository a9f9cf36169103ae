"""A walk-in confirmation of marital status (1.004873): the desk receives the paper dossier,
enters the applicant's declaration with the same form the portal uses, then corrects it with a
reason; the dossier page shows the declaration and the correction in its history (who, when,
why, before → after). Every page is checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from congso.catalog.models import Procedure
from congso.onestop.models import DeclarationRevision, Dossier

from .a11y import assert_accessible

pytestmark = pytest.mark.browser

CODE = "1.004873"
RECEIVED = re.compile(r"Đã tiếp nhận hồ sơ (\S+)\.")


def test_walk_in_declaration_entered_then_corrected(desktop_page, site, demo, screenshot):
    page = desktop_page
    site.submit_login(page, "motcua.nghilong")
    page.goto(site.url("onestop:receive"))
    page.get_by_label("Thủ tục").select_option(CODE)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Họ tên người nộp").fill("Trần Thị Bình")
    page.get_by_label("Số định danh cá nhân").fill("040195004321")
    version = Procedure.objects.get(code=CODE).current_version()
    for doc in version.documents.filter(mandatory=True, is_declaration=False):
        page.locator(f"#id_doc_{doc.pk}_received").check()
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    code = RECEIVED.search(page.get_by_role("status").inner_text()).group(1)
    expect(page.get_by_test_id("declaration")).to_contain_text("Chưa có tờ khai điện tử")

    page.get_by_test_id("edit-declaration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập tờ khai")
    form = page.locator("#declaration-form")
    declarant = form.locator("fieldset", has=page.get_by_role("heading", name="Người yêu cầu"))
    declarant.get_by_label("Họ, chữ đệm, tên người yêu cầu").fill("Trần Thị Bình")
    declarant.get_by_label("Thẻ căn cước / căn cước công dân").check()
    declarant.get_by_label("Số giấy tờ tùy thân").fill("040195004321")
    declarant.get_by_label("Nơi cư trú").fill("Xóm 5, xã Nghi Long")
    person = form.locator(
        "fieldset", has=page.get_by_role("heading", name="Người được cấp Giấy xác nhận")
    )
    person.get_by_label("Họ, chữ đệm, tên", exact=True).fill("Trần Thị Bình")
    person.get_by_label("Ngày, tháng, năm sinh").fill("03/08/1995")
    person.get_by_label("Số định danh cá nhân").fill("040195004321")
    person.get_by_label("Nơi cư trú").fill("Xóm 5, xã Nghi Long")
    person.get_by_label("Nữ", exact=True).check()
    form.get_by_label("Chưa đăng ký kết hôn với ai").check()
    form.get_by_label("Mục đích sử dụng Giấy xác nhận").fill("Để đăng ký kết hôn")
    form.get_by_label("Tôi cam đoan").check()
    assert_accessible(page)
    screenshot(page, "entry")
    page.get_by_test_id("save-declaration").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu tờ khai.")
    expect(page.get_by_test_id("declaration")).to_contain_text("03/08/1995")

    page.get_by_test_id("edit-declaration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sửa tờ khai")
    page.get_by_label("Mục đích sử dụng Giấy xác nhận").fill("Để làm thủ tục mua bán nhà đất")
    page.get_by_test_id("save-declaration").click()  # no reason: refused, nothing saved
    expect(page.locator(".error-summary")).to_contain_text("Nhập lý do sửa tờ khai.")
    assert_accessible(page)
    page.get_by_label("Lý do nhập, sửa tờ khai").fill("Người yêu cầu khai nhầm mục đích")
    page.get_by_test_id("save-declaration").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu tờ khai.")

    history = page.get_by_test_id("declaration-history")
    expect(history).to_contain_text("Người yêu cầu khai nhầm mục đích")
    expect(history.locator("del")).to_have_text("Để đăng ký kết hôn")
    expect(history.locator("ins")).to_have_text("Để làm thủ tục mua bán nhà đất")
    expect(page.locator('[data-event="correct_declaration"]')).to_have_count(2)
    assert_accessible(page)
    screenshot(page, "corrected")
    dossier = Dossier.objects.get(code=code)
    first, second = DeclarationRevision.objects.filter(dossier=dossier)
    assert first.before == {} and second.before["purpose"] == "Để đăng ký kết hôn"
    assert dossier.form_data["purpose"] == "Để làm thủ tục mua bán nhà đất"
