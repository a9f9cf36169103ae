"""From the citizen's declaration to a signed birth certificate, in the browser: a citizen files
a birth registration online with both parents, the desk accepts it, the specialist drafts the
result from the declaration and corrects it with a reason, the leader reads the draft as it will
be signed and signs after confirming, and the citizen downloads a birth certificate whose text
names the child, the date of birth, both parents and the register number, and whose signatures
poppler's ``pdfsig`` validates. Every page is checked with axe-core."""

import subprocess

import pytest
from playwright.sync_api import expect

from congso.demo import signing as signing_demo
from congso.onestop.lifecycle import State
from congso.onestop.models import Dossier, Result
from congso.signing.tests.support import pdfsig

from .a11y import assert_accessible
from .navigation import follow
from .test_onestop_journey import act, login_as, open_from_queue
from .test_portal_birth_journey import continue_, upload_documents

pytestmark = pytest.mark.browser


def declare_birth(page) -> None:
    """The declaration's pages, both parents given."""
    page.get_by_label("Họ, chữ đệm, tên người yêu cầu").fill("Nguyễn Văn An")
    page.get_by_label("Thẻ căn cước / căn cước công dân").check()
    page.get_by_label("Số giấy tờ tùy thân").fill("040090001234")
    page.get_by_label("Nơi cư trú").fill("Xóm 3, xã Nghi Long")
    continue_(page)
    page.get_by_label("Quan hệ với người được khai sinh").fill("Cha")
    continue_(page)
    page.get_by_label("Họ, chữ đệm, tên").fill("Nguyễn Minh Khang")
    page.get_by_label("Nam", exact=True).check()
    page.get_by_label("Ngày, tháng, năm sinh", exact=True).fill("2026-11-20")
    page.get_by_label("Nơi sinh").fill("Bệnh viện đa khoa huyện Nghi Lộc")
    continue_(page)
    parents = {"Thông tin người mẹ": "Lê Thị Hoa", "Thông tin người cha": "Nguyễn Văn An"}
    for _section in parents:  # their order depends on how the schema is stored
        heading = page.get_by_role("heading", level=1).inner_text()
        page.get_by_label("Họ, chữ đệm, tên").fill(parents[heading])
        continue_(page)
    page.get_by_label("Tôi cam đoan").check()
    continue_(page)


def file_online(page, site, demo, tmp_path, screenshot) -> str:
    site.submit_login(page, "congdan.an")
    page.goto(site.url("portal:start", "1.001193"))
    follow(page, page.get_by_test_id("file-online"))
    commune = demo["units"]["Xã Nghi Long"]
    page.get_by_label("Bạn nộp hồ sơ ở đâu?").select_option(value=str(commune.pk))
    continue_(page)
    declare_birth(page)
    upload_documents(page, tmp_path, screenshot)
    page.get_by_label("Nhận trực tuyến").check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra thông tin trước khi nộp")
    follow(page, page.get_by_test_id("submit"))
    return page.get_by_test_id("dossier-code").inner_text()


def pdf_text(path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def test_birth_certificate_from_declaration_to_signed_download(
    desktop_page, site, demo, screenshot, tmp_path
):
    page, people = desktop_page, demo["people"]
    _root, issuing = signing_demo.ensure_authorities()
    signing_demo.issue_for_unit(demo["units"]["Xã Nghi Long"], issuing)
    signing_demo.issue_for_user(people["lanhdao.nghilong"], issuing)

    code = file_online(page, site, demo, tmp_path, screenshot)

    login_as(page, site, "motcua.nghilong")
    open_from_queue(page, site, "to_receive", code)
    act(page, "Tiếp nhận hồ sơ")
    expect(page.get_by_role("status")).to_contain_text(f"Đã tiếp nhận hồ sơ {code}")
    expect(page.locator("[data-form='01']")).to_be_visible()
    expect(page.locator("[data-print='01']")).to_be_visible()
    act(
        page,
        "Chuyển xử lý",
        lambda form: form.get_by_label("Giao cho").select_option(
            label=people["congchuc.nghilong"].get_full_name()
        ),
    )
    assert_accessible(page)

    login_as(page, site, "congchuc.nghilong")
    open_from_queue(page, site, "to_process", code)
    follow(page, page.locator("[data-action=draft-result]"))
    expect(page.get_by_role("status")).to_contain_text("Đã lập bản dự thảo kết quả")
    preview = page.locator("img[data-preview-page='1']")
    expect(preview).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 100", arg=preview.element_handle()
    )

    fix = page.locator("details.action[data-transition=correct_result]")
    fix.locator("summary").click()
    fix.get_by_label("Nội dung cần sửa").select_option(label="Nơi sinh")
    fix.get_by_label("Nội dung mới").fill("Bệnh viện đa khoa huyện Nghi Lộc, tỉnh Nghệ An")
    fix.get_by_label("Lý do sửa").fill("Theo Giấy chứng sinh trong hồ sơ")
    follow(page, fix.get_by_role("button", name="Lưu sửa đổi"))
    expect(page.get_by_role("status")).to_contain_text("Đã sửa bản dự thảo kết quả")
    expect(page.locator("main")).to_contain_text("Theo Giấy chứng sinh trong hồ sơ")
    assert_accessible(page)
    screenshot(page, "specialist-draft")
    act(
        page,
        "Chuyển bước tiếp theo",
        lambda form: form.get_by_label("Ý kiến xử lý").fill("Hồ sơ đủ điều kiện, đề nghị ký"),
    )

    login_as(page, site, "lanhdao.nghilong")
    open_from_queue(page, site, "to_approve", code)
    decision = page.locator("[data-decision]")
    expect(decision).to_contain_text("Hồ sơ đủ điều kiện, đề nghị ký")
    expect(decision.get_by_role("link", name="Phiếu kiểm soát")).to_be_visible()
    expect(page.locator("img[data-preview-page='1']")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "leader-preview")
    act(page, "Phê duyệt kết quả")  # without the confirmation: refused, nothing signed
    expect(page.locator("main")).to_contain_text("Xác nhận đã xem bản dự thảo kết quả")
    assert Dossier.objects.get(code=code).state == State.PROCESSING
    approve = page.locator("details.action[data-transition=approve]")
    expect(approve).to_have_attribute("open", "")  # the refused form stays open with its error
    approve.get_by_label("Tôi đã xem bản dự thảo kết quả").check()
    follow(page, approve.get_by_role("button", name="Phê duyệt kết quả"))
    expect(page.locator("[data-state]")).to_contain_text(str(State.PROCESSED.label))
    expect(page.locator("[data-result-signed]")).to_have_attribute("data-result-signed", "true")
    expect(page.locator("[data-register]")).to_be_visible()
    assert_accessible(page)

    login_as(page, site, "congdan.an")
    page.goto(site.url("portal:dossier", code))
    with page.expect_download() as download:
        page.get_by_test_id("download-result").click()
    saved = tmp_path / "giay-khai-sinh.pdf"
    download.value.save_as(saved)
    text = pdf_text(saved)
    register = Result.objects.get(dossier__code=code).register
    for value in ("Nguyễn Minh Khang", "20/11/2026", "Lê Thị Hoa", "Nguyễn Văn An"):
        assert value in text, value
    assert f"Số: {register['number']}" in text and register["book"] in text
    assert "Bệnh viện đa khoa huyện Nghi Lộc, tỉnh Nghệ An" in text
    checked = pdfsig(saved)
    assert checked.signature_valid, checked.output
    assert checked.output.count("Signature #") == 1  # the seal (no person's key on the server)
