"""The desk at its busiest, in the browser: ten walk-in certifications of copies (2.000815) received
with the keyboard only, each applicant read from the QR code of their ID card (a generated payload
typed into the scan field with the scanner's Enter, as a USB scanner does); then one more received
in fewer than six interactions, counted. Pages checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from congso.accounts.factories import cccd_payload
from congso.catalog.models import Procedure
from congso.onestop.models import Dossier

from .a11y import assert_accessible

pytestmark = pytest.mark.browser

CODE = "2.000815"
RECEIVED = re.compile(r"Đã tiếp nhận hồ sơ (\S+)\.")


def _mandatory(version) -> list[int]:
    return [d.pk for d in version.documents.filter(mandatory=True, is_declaration=False)]


def _tab_to(page, element_id: str) -> None:
    """Tab (keyboard only) until ``element_id`` has the focus."""
    for _ in range(60):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} never took the focus")


def test_ten_walk_ins_with_the_card_scan_and_the_keyboard_only(desktop_page, site, demo):
    page = desktop_page
    site.submit_login(page, "motcua.nghilong")
    commune = demo["units"]["Xã Nghi Long"]
    mandatory = _mandatory(Procedure.objects.get(code=CODE).current_version())
    page.goto(site.url("onestop:queues"))
    before = Dossier.objects.count()
    for serial in range(1, 11):
        page.keyboard.press("Alt+n")  # the queue's shortcut: a new receipt
        page.wait_for_url(re.compile(r"/onestop/receive/"))
        page.goto(site.url("onestop:receive", query={"unit": commune.pk, "procedure": CODE}))
        page.keyboard.type(cccd_payload(serial, name=f"Trần Văn Khách {serial}", sex="male"))
        page.keyboard.press("Enter")  # the scanner ends the payload with Enter
        expect(page.locator("#id_applicant_name")).to_have_value(f"Trần Văn Khách {serial}")
        expect(page.locator("#id_applicant_birth_date")).to_have_value("17/05/1990")
        for pk in mandatory:
            _tab_to(page, f"id_doc_{pk}_received")
            page.keyboard.press("Space")
        page.keyboard.press("Alt+p")
        page.keyboard.type("4")
        page.keyboard.press("Alt+s")
        expect(page.get_by_role("status")).to_contain_text("Đã tiếp nhận hồ sơ")
        if serial == 1:
            assert_accessible(page)
        page.goto(site.url("onestop:queues"))
    received = Dossier.objects.filter(applicant_name__startswith="Trần Văn Khách")
    assert Dossier.objects.count() - before == 10 == received.count()
    first = received.get(applicant_name="Trần Văn Khách 1")
    assert first.applicant_sex == "male" and first.applicant_birth_date.year == 1990
    assert first.applicant_id_number == "040090000001"
    assert_accessible(page)


def test_a_certification_of_copies_in_fewer_than_six_interactions(desktop_page, site, demo):
    page = desktop_page
    site.submit_login(page, "motcua.nghilong")
    mandatory = _mandatory(Procedure.objects.get(code=CODE).current_version())
    page.goto(site.url("onestop:receive"))
    assert_accessible(page)
    interactions = 0

    def act(step) -> None:
        nonlocal interactions
        interactions += 1
        step()

    act(lambda: page.get_by_test_id(f"frequent-{CODE}").click())
    act(
        lambda: (
            page.get_by_label(re.compile("Quét mã QR")).fill(cccd_payload(99)),
            page.keyboard.press("Enter"),
        )
    )  # one scan: the scanner types and sends
    for pk in mandatory:
        act(lambda pk=pk: page.locator(f"#id_doc_{pk}_received").check())
    act(lambda: page.get_by_label("Số trang (phí tính theo trang)").fill("2"))
    assert_accessible(page)
    act(lambda: page.get_by_role("button", name="Tiếp nhận hồ sơ").click())
    message = page.get_by_role("status")
    expect(message).to_contain_text("Đã tiếp nhận hồ sơ")
    dossier = Dossier.objects.get(code=RECEIVED.search(message.inner_text()).group(1))
    assert dossier.applicant_name == "Nguyễn Thị Mai" and dossier.procedure.code == CODE
    assert interactions < 6, interactions
