"""Rating and complaint journey on a phone: a citizen with a returned dossier at Nghi Long rates
it and files a complaint about it; the commune's official answers it on a desktop; the citizen
reads the answer and says they are satisfied. Every citizen page must fit 360 px."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from congso.catalog.models import Procedure
from congso.feedback.models import Complaint, Rating
from congso.onestop.lifecycle import State
from congso.onestop.models import Dossier
from congso.onestop.services import grant_access

from .a11y import assert_accessible

pytestmark = pytest.mark.browser
COMPLAINT_CODE = re.compile(r"Đã gửi phản ánh, kiến nghị (PAKN-\d{6}-\d{4})")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def returned_dossier(demo) -> Dossier:
    """A birth registration of congdan.an returned yesterday at Nghi Long (the one-stop journey
    itself is the onestop test's subject)."""
    procedure = Procedure.objects.get(code="1.001193")
    commune = demo["units"]["Xã Nghi Long"]
    citizen = demo["people"]["congdan.an"]
    filed = timezone.now() - dt.timedelta(days=3)
    dossier = Dossier.objects.create(
        code="000.01.27.H43-261120-0001",
        procedure=procedure,
        version=procedure.current_version(),
        receiving_unit=commune,
        current_unit=commune,
        state=State.RETURNED,
        channel="online",
        applicant=citizen,
        applicant_name=citizen.get_full_name(),
        filed_at=filed,
        received_at=filed,
        due_at=filed + dt.timedelta(days=3),
        finished_at=filed + dt.timedelta(days=1),
        returned_at=filed + dt.timedelta(days=2),
    )
    grant_access([dossier.pk], [commune.pk])  # who may see it, as the service writes it
    return dossier


def test_citizen_rates_complains_and_reads_the_answer(page, desktop_page, site, demo, screenshot):
    dossier = returned_dossier(demo)
    site.submit_login(page, "congdan.an")
    page.goto(site.url("feedback:rate", dossier.code))
    page.get_by_role("group", name="Mức độ hài lòng chung").get_by_label(
        "Hài lòng", exact=True
    ).check()
    page.get_by_role("group", name="Thời gian giải quyết").get_by_label("Tốt", exact=True).check()
    page.get_by_label("Góp ý thêm (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình.")
    assert fits(page)
    assert_accessible(page)
    screenshot(page, "rate-form")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Cảm ơn bạn đã đánh giá hồ sơ {dossier.code}"
    )
    rating = Rating.objects.get(dossier=dossier)
    assert rating.overall == "satisfied" and rating.scores == {"time": 2}
    assert_accessible(page)
    screenshot(page, "rated")

    page.get_by_role("link", name="Gửi phản ánh, kiến nghị về hồ sơ này").click()
    expect(page.get_by_label("Mã hồ sơ (nếu phản ánh về một hồ sơ)")).to_have_value(dossier.code)
    page.get_by_label("Tiêu đề").fill("Trả kết quả chậm một ngày")
    page.get_by_label("Nội dung").fill("Tôi phải đến nhận kết quả hai lần.")
    assert fits(page)
    assert_accessible(page)
    page.get_by_role("button", name="Gửi phản ánh").click()
    message = page.get_by_role("status")
    expect(message).to_contain_text("Đã gửi phản ánh, kiến nghị")
    code = COMPLAINT_CODE.search(message.inner_text()).group(1)
    expect(page.locator("#complaint-state")).to_have_text("Đã tiếp nhận")
    assert fits(page)
    screenshot(page, "complaint-filed")

    site.submit_login(desktop_page, "congchuc.nghilong")
    desktop_page.goto(site.url("accounts:workspace"))
    desktop_page.get_by_role("link", name="Phản ánh, kiến nghị cần trả lời").click()
    desktop_page.get_by_role("link", name=code).click()
    desktop_page.get_by_label("Nội dung trả lời").fill(
        "Xã đã nhắc nhở bộ phận một cửa và xin lỗi ông vì sự bất tiện."
    )
    assert_accessible(desktop_page)
    desktop_page.get_by_role("button", name="Trả lời").click()
    expect(desktop_page.locator("#complaint-state")).to_have_text("Đã trả lời")
    screenshot(desktop_page, "official-answered")

    page.goto(site.url("feedback:my_complaints"))
    page.get_by_role("link", name=code).click()
    expect(page.locator("#answer")).to_contain_text("xin lỗi ông vì sự bất tiện")
    page.locator("fieldset", has_text="Bạn có hài lòng").get_by_label(
        "Hài lòng", exact=True
    ).check()
    page.get_by_role("button", name="Đánh giá kết quả trả lời").click()
    expect(page.locator("#complaint-state")).to_have_text("Đã kết thúc")
    expect(page.locator("#evaluation")).to_contain_text("Hài lòng")
    assert fits(page)
    assert_accessible(page)
    screenshot(page, "answer-read")
    complaint = Complaint.objects.get(code=code)
    assert complaint.dossier == dossier and complaint.citizen_satisfied is True
    assert complaint.on_time is True
