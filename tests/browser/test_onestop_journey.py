"""The one-stop day in the browser, on a phone: the desk receives a birth registration at Nghi
Long, hands it over, the specialist attaches the result and forwards it, the leader approves, the
desk returns it; and the supplement loop. Every page must fit 360 px."""

import re

import pytest
import weasyprint
from playwright.sync_api import expect

from congso.catalog.models import Procedure
from congso.onestop import services
from congso.onestop.lifecycle import State
from congso.onestop.models import Dossier
from congso.signing.tests.support import pdfsig

from .navigation import follow

pytestmark = pytest.mark.browser

CODE = re.compile(r"Đã tiếp nhận hồ sơ (\S+)\. Hẹn trả kết quả: \d\d/\d\d/\d{4} \d\d:\d\d")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def login_as(page, site, username: str) -> None:
    page.context.clear_cookies()
    site.submit_login(page, username)


def open_from_queue(page, site, tab: str, code: str) -> None:
    page.goto(site.url("onestop:queues", query={"tab": tab}))
    follow(page, page.get_by_role("link", name=code))


def act(page, label: str, fill=None) -> None:
    """Open the action ``label`` on the dossier page, fill it, and send it."""
    action = page.locator("details.action", has=page.get_by_text(label, exact=True)).first
    action.locator("summary").click()
    if fill:
        fill(action)
    follow(page, action.get_by_role("button", name=label))


def _seal(unit):
    """The commune's organisation certificate, so that the approval signs the result."""
    from congso.demo import signing as signing_demo

    _root, issuing = signing_demo.ensure_authorities()
    return signing_demo.issue_for_unit(unit, issuing)


def test_desk_to_returned_result(page, site, demo, screenshot, tmp_path):
    people = demo["people"]
    _seal(demo["units"]["Xã Nghi Long"])
    login_as(page, site, "motcua.nghilong")
    page.goto(site.url("accounts:workspace"))
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
    page.get_by_label("Thủ tục").select_option("1.001193")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Họ tên người nộp").fill("Nguyễn Thị Mai")
    page.get_by_label("Số định danh cá nhân").fill("040190001234")
    page.get_by_label("Số điện thoại").fill("0912345000")
    version = Procedure.objects.get(code="1.001193").current_version()
    for doc in version.documents.filter(mandatory=True):
        page.locator(f"#id_doc_{doc.pk}_received").check()
    expect(page.locator("[data-fee]")).to_have_text("5.000 đ")
    assert fits(page)
    screenshot(page, "receive-form")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    message = page.get_by_role("status")
    expect(message).to_contain_text("Đã tiếp nhận hồ sơ")
    code = CODE.search(message.inner_text()).group(1)
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    screenshot(page, "received")

    act(
        page,
        "Chuyển xử lý",
        lambda form: form.get_by_label("Giao cho").select_option(
            label=people["congchuc.nghilong"].get_full_name()
        ),
    )
    expect(page.get_by_role("status")).to_contain_text(f"Đã chuyển hồ sơ {code} cho chuyên viên")

    login_as(page, site, "congchuc.nghilong")
    open_from_queue(page, site, "to_process", code)
    pdf = tmp_path / "giay-khai-sinh.pdf"
    pdf.write_bytes(weasyprint.HTML(string="<p>Giấy khai sinh</p>").write_pdf())

    def attach(form):
        form.get_by_label("Tên kết quả").fill("Giấy khai sinh")
        form.get_by_label("Tệp kết quả (PDF)").set_input_files(pdf)

    action = page.locator("details.action[data-transition=attach_result]")
    action.locator("summary").click()
    attach(action)
    action.get_by_role("button", name="Đính kèm kết quả").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đính kèm kết quả")
    act(
        page,
        "Chuyển bước tiếp theo",
        lambda form: form.get_by_label("Ý kiến xử lý").fill("Hồ sơ đủ điều kiện"),
    )
    assert fits(page)
    screenshot(page, "forwarded")

    login_as(page, site, "lanhdao.nghilong")
    open_from_queue(page, site, "to_approve", code)
    act(  # the leader confirms he read the draft shown above (nothing signed unseen)
        page,
        "Phê duyệt kết quả",
        lambda form: form.get_by_label("Tôi đã xem bản dự thảo kết quả").check(),
    )
    expect(page.locator("[data-state]")).to_contain_text(str(State.PROCESSED.label))
    expect(page.locator("[data-result-signed]")).to_have_attribute("data-result-signed", "true")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải kết quả đã ký số (PDF)").click()
    signed = tmp_path / "ket-qua-da-ky.pdf"
    download.value.save_as(signed)
    assert pdfsig(signed).signature_valid

    login_as(page, site, "motcua.nghilong")
    open_from_queue(page, site, "to_return", code)

    def hand_to_applicant(form):
        form.get_by_label("Họ tên người nhận kết quả").fill("Nguyễn Thị Mai")
        form.get_by_label("Đã kiểm tra giấy tờ tùy thân của người nhận").check()

    act(page, "Trả kết quả", hand_to_applicant)
    expect(page.locator("[data-state]")).to_contain_text(str(State.RETURNED.label))
    assert fits(page)
    screenshot(page, "returned")
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == State.RETURNED and dossier.returned_to == "Nguyễn Thị Mai"
    assert list(dossier.events.values_list("transition", flat=True)) == [
        "receive",
        "start",
        "forward",
        "approve",
        "return_result",
    ]


def test_supplement_loop(page, site, demo, screenshot):
    units, people = demo["units"], demo["people"]
    procedure = Procedure.objects.get(code="1.004873")
    documents = [
        services.ReceivedDocument(required_document_id=d.pk, name=d.name)
        for d in procedure.current_version().documents.all()
        if d.mandatory and not d.is_declaration
    ]
    dossier = services.receive_at_desk(
        people["motcua.nghilong"],
        services.Intake(
            procedure_code=procedure.code,
            unit_id=units["Xã Nghi Long"].pk,
            applicant=services.ApplicantData(name="Lê Văn Hùng", phone="0912000111"),
            documents=documents,
        ),
    )
    login_as(page, site, "motcua.nghilong")
    page.goto(site.url("onestop:queues", query={"tab": "all", "q": "le van hung"}))
    page.get_by_role("link", name=dossier.code).click()

    def ask(form):
        form.get_by_label("Giấy tờ cần bổ sung, sửa đổi").fill("Tờ khai có chữ ký")
        form.get_by_label("Lý do").fill("Tờ khai chưa ký")

    act(page, "Yêu cầu bổ sung", ask)
    expect(page.locator("[data-state]")).to_contain_text(str(State.SUPPLEMENT_REQUESTED.label))
    expect(page.get_by_text("đang chờ bổ sung")).to_be_visible()
    screenshot(page, "requested")

    page.goto(site.url("onestop:queues", query={"tab": "supplement"}))
    expect(page.get_by_role("link", name=dossier.code)).to_be_visible()
    page.get_by_role("link", name=dossier.code).click()
    act(
        page,
        "Nộp bổ sung",
        lambda form: form.get_by_label("Giấy tờ đã nhận bổ sung").fill("Tờ khai có chữ ký"),
    )
    expect(page.locator("[data-state]")).to_contain_text(str(State.PROCESSING.label))
    assert fits(page)
    screenshot(page, "resumed")

    login_as(page, site, "congchuc.nghilong")
    page.goto(site.url("onestop:queues", query={"tab": "to_process"}))
    expect(page.get_by_role("link", name=dossier.code)).to_be_visible()
