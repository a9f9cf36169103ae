"""The desk asks for a clearer birth certificate; the citizen answers online from a phone and the
dossier goes back to processing with the new file."""

import io

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from congso.catalog.models import Procedure
from congso.onestop import services as onestop
from congso.portal import services
from congso.portal.examples import BIRTH_ANSWERS

from .a11y import assert_accessible
from .navigation import follow

pytestmark = pytest.mark.browser


def _pdf(text: str) -> bytes:
    return weasyprint.HTML(string=f"<p>{text}</p>").write_pdf()


def _filed_and_awaiting_supplement(demo):
    citizen = demo["people"]["congdan.an"]
    desk = demo["people"]["motcua.nghilong"]
    birth = Procedure.objects.get(code="1.001193")
    draft = services.start_draft(citizen, birth)
    services.set_unit(draft, demo["units"]["Xã Nghi Long"].pk)
    services.save_answers(draft, BIRTH_ANSWERS)
    version = birth.current_version()
    for doc in version.documents.filter(mandatory=True, is_declaration=False):
        services.attach_upload(draft, doc.pk, SimpleUploadedFile("a.pdf", _pdf(doc.name)))
    services.set_delivery(draft, "online")
    dossier = services.submit(draft)
    dossier = onestop.transition(dossier, "accept", actor=desk)
    dossier = onestop.transition(dossier, "start", actor=desk)
    return onestop.transition(
        dossier,
        "request_supplement",
        actor=desk,
        items=["Giấy chứng sinh chụp rõ nét, đủ bốn góc"],
        note="Ảnh giấy chứng sinh bị mờ",
    )


def test_supplement_answered_online(page, site, demo, screenshot, tmp_path):
    dossier = _filed_and_awaiting_supplement(demo)
    site.submit_login(page, "congdan.an")
    page.goto(site.url("portal:my_dossiers"))
    expect(page.locator("main")).to_contain_text("Yêu cầu bổ sung")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name=dossier.code, exact=True))
    expect(page.locator("main")).to_contain_text("Giấy chứng sinh chụp rõ nét, đủ bốn góc")
    assert_accessible(page)

    follow(page, page.get_by_test_id("send-supplement"))  # nothing attached
    expect(page.get_by_test_id("error-summary")).to_contain_text("Đính kèm giấy tờ bổ sung.")
    assert_accessible(page)
    screenshot(page, "supplement-error")

    from PIL import Image

    photo = tmp_path / "chung-sinh-ro.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (250, 250, 250)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    page.get_by_label("Tệp bổ sung").set_input_files(str(photo))
    page.get_by_label("Ghi chú").fill("Gửi lại ảnh rõ nét")
    screenshot(page, "supplement")
    follow(page, page.get_by_test_id("send-supplement"))
    expect(page.get_by_test_id("state")).to_have_text("Đang giải quyết")
    assert_accessible(page)
    screenshot(page, "supplement-sent")
    dossier.refresh_from_db()
    added = dossier.documents.get(from_supplement=True)
    assert added.content_type == "application/pdf" and added.file.read().startswith(b"%PDF")
