"""A commune leader's phone (360×740): the inbox lists the dossier waiting for approval, the
dossier page shows the draft result as it will be signed, and the leader approves — the approval
seals the result with the commune's seal. Where the procedure asks for the leader's own signature,
he signs the approved result through the CA's remote-signing sandbox, confirming in its phone app,
before the seal. Every page is checked with axe-core at this width."""

import pytest
from playwright.sync_api import expect

from congso.catalog.models import Procedure
from congso.demo import signing as signing_demo
from congso.onestop import results, services
from congso.onestop.lifecycle import State
from congso.onestop.models import Dossier
from congso.onestop.services import ApplicantData, Intake, ReceivedDocument

from .a11y import assert_accessible
from .navigation import follow

pytestmark = pytest.mark.browser

CODE = "2.000815"


def _at_the_leader(demo) -> Dossier:
    """A certification received, drafted and forwarded to the leader, through the services."""
    people, commune = demo["people"], demo["units"]["Xã Nghi Long"]
    version = Procedure.objects.get(code=CODE).current_version()
    documents = [
        ReceivedDocument(required_document_id=d.pk, name=d.name, copy_kind=d.copy_kind)
        for d in version.documents.filter(mandatory=True, is_declaration=False)
    ]
    intake = Intake(
        procedure_code=CODE,
        unit_id=commune.pk,
        applicant=ApplicantData(name="Nguyễn Thị Mai", id_number="040190001234"),
        documents=documents,
        pages=2,
    )
    dossier = services.receive_at_desk(people["motcua.nghilong"], intake)
    specialist = people["congchuc.nghilong"]
    dossier = services.transition(
        dossier, "start", actor=people["motcua.nghilong"], assignee=specialist.pk
    )
    results.draft(dossier, specialist)
    dossier = Dossier.objects.get(pk=dossier.pk)
    return services.transition(dossier, "forward", actor=specialist, opinion="Đề nghị ký")


def test_a_leader_approves_from_the_phone(page, site, demo):
    people = demo["people"]
    _root, issuing = signing_demo.ensure_authorities()
    signing_demo.issue_for_unit(demo["units"]["Xã Nghi Long"], issuing)
    signing_demo.issue_for_user(people["lanhdao.nghilong"], issuing)
    dossier = _at_the_leader(demo)

    site.submit_login(page, "lanhdao.nghilong")
    page.goto(site.url("inbox:mine"))
    assert_accessible(page)
    follow(page, page.get_by_role("link", name=dossier.code).first)
    preview = page.locator("img[data-preview-page='1']")
    expect(preview).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 100", arg=preview.element_handle()
    )
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= 360
    )  # nothing to scroll sideways
    assert_accessible(page)
    approve = page.locator("details.action[data-transition=approve]")
    approve.locator("summary").click()
    approve.get_by_label("Tôi đã xem bản dự thảo kết quả").check()
    follow(page, approve.get_by_role("button", name="Phê duyệt kết quả"))
    expect(page.locator("[data-state]")).to_contain_text(str(State.PROCESSED.label))
    expect(page.locator("[data-result-signed]")).to_have_attribute("data-result-signed", "true")
    assert_accessible(page)


def test_a_leader_signs_the_result_from_the_phone(page, site, demo):
    """Where the procedure asks for the leader's own signature, the approved result waits in his
    inbox (*Chờ ký kết quả*); he signs through the CA's remote service, confirming in the phone
    app, and only then is the result sealed by the commune."""
    from .phone import remote_service, sign_on_phone

    people = demo["people"]
    _root, issuing = signing_demo.ensure_authorities()
    signing_demo.issue_for_unit(demo["units"]["Xã Nghi Long"], issuing)
    certificate = signing_demo.issue_for_user(people["lanhdao.nghilong"], issuing)
    Procedure.objects.get(code=CODE).versions.update(result_signed_by_leader=True)
    dossier = _at_the_leader(demo)

    with remote_service(certificate, "lanhdao.nghilong") as remote:
        site.submit_login(page, "lanhdao.nghilong")
        page.goto(site.url("onestop:dossier", dossier.code))
        approve = page.locator("details.action[data-transition=approve]")
        approve.locator("summary").click()
        approve.get_by_label("Tôi đã xem bản dự thảo kết quả").check()
        follow(page, approve.get_by_role("button", name="Phê duyệt kết quả"))
        expect(page.locator("[data-result-signed]")).to_have_attribute(
            "data-result-signed", "false"
        )
        page.goto(site.url("inbox:mine"))
        expect(page.get_by_text("Chờ ký kết quả").first).to_be_visible()
        follow(page, page.get_by_role("link", name=dossier.code).first)
        expect(page.locator("#sign-method")).to_contain_text("từ xa")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(page)
        sign_on_phone(page, remote, "lanhdao.nghilong")
        page.wait_for_url(f"**/{dossier.code}/")
        expect(page.locator("[data-result-signed]")).to_have_attribute("data-result-signed", "true")
        assert_accessible(page)
