"""The desk at its busiest, in the browser: ten walk-in certifications of copies (2.000815) received
with the keyboard only, each applicant read from the QR code of their ID card (a generated payload
typed into the scan field with the scanner's Enter, as a USB scanner does); then one more received
in fewer than six interactions, counted. Pages checked with axe-core. Keyboard only means Tab,
Space and Enter here: headless Chromium does not fire ``accesskey``s, so the shortcuts' visible
hints are checked, not pressed."""

import re

import pytest
from playwright.sync_api import expect

from congso.accounts.tests.factories import cccd_payload
from congso.catalog.models import Procedure
from congso.onestop import services
from congso.onestop.models import Dossier
from congso.onestop.services import ApplicantData, Intake, ReceivedDocument

from .a11y import assert_accessible

pytestmark = pytest.mark.browser

CODE = "2.000815"
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Khánh", "Lâm", "Minh"]
RECEIVED = re.compile(r"Đã tiếp nhận hồ sơ (\S+)\.")


def _mandatory(version) -> list[int]:
    return [d.pk for d in version.documents.filter(mandatory=True, is_declaration=False)]


def _earlier_walk_in(demo) -> None:
    """One certification received earlier today, so the desk's frequent procedures list it."""
    version = Procedure.objects.get(code=CODE).current_version()
    documents = [
        ReceivedDocument(required_document_id=d.pk, name=d.name, copy_kind=d.copy_kind)
        for d in version.documents.filter(mandatory=True, is_declaration=False)
    ]
    services.receive_at_desk(
        demo["people"]["motcua.nghilong"],
        Intake(
            procedure_code=CODE,
            unit_id=demo["units"]["Xã Nghi Long"].pk,
            applicant=ApplicantData(name="Người Nộp Trước", id_number="040090009999"),
            documents=documents,
            pages=1,
        ),
    )


def _tab_to(page, condition: str) -> None:
    """Press Tab (keyboard only) until the focused element ``el`` meets ``condition`` (JS)."""
    for _ in range(80):
        if page.evaluate(f"(el => !!el && ({condition}))(document.activeElement)"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"nothing focused meets {condition}")


def test_ten_walk_ins_with_the_card_scan_and_the_keyboard_only(desktop_page, site, demo):
    page = desktop_page
    _earlier_walk_in(demo)
    site.submit_login(page, "motcua.nghilong")
    version = Procedure.objects.get(code=CODE).current_version()
    mandatory, first_row = _mandatory(version), version.documents.all()[0].pk
    before = Dossier.objects.count()
    for serial in range(1, 11):
        page.goto(site.url("onestop:queues"))
        new = page.locator("a[accesskey=n]")  # the shortcut's hint is shown beside it
        expect(new.locator("kbd")).to_have_text("Alt+N")
        _tab_to(page, "el.getAttribute('accesskey') === 'n'")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/onestop/receive/"))
        _tab_to(page, f"el.dataset.testid === 'frequent-{CODE}'")
        page.keyboard.press("Enter")
        card = page.locator("#id_card")
        expect(card).to_be_focused()  # the page starts at the scan field
        name = f"Trần Văn {GIVEN[serial - 1]}"
        page.keyboard.type(cccd_payload(serial, name=name, sex="male"))
        page.keyboard.press("Enter")  # the scanner ends the payload with Enter
        expect(page.locator("#id_applicant_name")).to_have_value(name)
        expect(page.locator("#id_applicant_birth_date")).to_have_value("17/05/1990")
        expect(page.locator(f"#id_doc_{first_row}_received")).to_be_focused()
        for pk in mandatory:
            _tab_to(page, f"el.id === 'id_doc_{pk}_received'")
            page.keyboard.press("Space")
        _tab_to(page, "el.id === 'id_pages'")
        page.keyboard.type("4")
        _tab_to(page, "el.value === 'receive'")
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("Đã tiếp nhận hồ sơ")
        if serial == 1:
            assert_accessible(page)
    received = Dossier.objects.filter(applicant_name__startswith="Trần Văn ")
    assert Dossier.objects.count() - before == 10 == received.count()
    first = received.get(applicant_name="Trần Văn An")
    assert first.applicant_sex == "male" and first.applicant_birth_date.year == 1990
    assert first.applicant_id_number == "040090000001"


def test_a_certification_of_copies_in_fewer_than_six_interactions(desktop_page, site, demo):
    page = desktop_page
    _earlier_walk_in(demo)
    site.submit_login(page, "motcua.nghilong")
    mandatory = _mandatory(Procedure.objects.get(code=CODE).current_version())
    page.goto(site.url("onestop:receive"))
    assert_accessible(page)
    interactions = 0

    def act(step) -> None:
        nonlocal interactions
        interactions += 1
        step()

    def scan() -> None:  # one interaction: the scanner types the code and its Enter
        page.get_by_label(re.compile("Quét mã QR")).fill(cccd_payload(99))
        page.keyboard.press("Enter")

    act(lambda: page.get_by_test_id(f"frequent-{CODE}").click())
    act(scan)
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
