"""The digital-skills programme from both sides: a citizen on a phone reads a lesson and passes
its quiz (the completion counts), and the Nghi Long commune official records a training session
with its attendance list and sees the commune's coverage go up."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from congso.demo import skills as skills_demo
from congso.skills import lessons
from congso.skills.models import Completion, Session

from .a11y import assert_accessible

pytestmark = pytest.mark.browser


def test_a_citizen_reads_a_lesson_and_passes_the_quiz(page, site, demo, screenshot):
    page.goto(site.url("skills:index"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kỹ năng số cho mọi người")
    assert_accessible(page)
    lesson = lessons.lesson("email")
    page.get_by_role("link", name=lesson.title).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(lesson.screens[0]["heading"])
    screenshot(page, "bai-hoc")
    assert_accessible(page)
    for screen in lesson.screens[1:]:
        page.get_by_role("link", name="Trang sau").click()
        expect(page.get_by_role("heading", level=2)).to_have_text(screen["heading"])
    page.get_by_role("link", name="Làm bài kiểm tra").click()
    assert_accessible(page)
    for n, item in enumerate(lesson.quiz):
        page.check(f"#q{n}_{item['answer']}")
    page.select_option("#id_unit", label="Xã Nghi Long")
    screenshot(page, "kiem-tra")
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("status").first).to_contain_text("Chúc mừng")
    expect(page.locator(".ks-right")).to_have_count(len(lesson.quiz))
    screenshot(page, "ket-qua")
    assert_accessible(page)
    completion = Completion.objects.get()
    assert completion.topic == "email" and completion.unit == demo["units"]["Xã Nghi Long"]
    page.goto(site.url("skills:index"))
    expect(page.locator(".ks-lessons .tag--full")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the lessons page scrolls sideways on a phone"


def test_a_commune_official_records_a_session_and_coverage_goes_up(
    desktop_page, site, demo, screenshot
):
    skills_demo.load(demo)
    nghi_long = demo["units"]["Xã Nghi Long"]
    today = timezone.localdate()
    official = desktop_page
    site.submit_login(official, "congchuc.nghilong")
    official.goto(site.url("skills:coverage"))
    total = official.locator(f'[data-total="{nghi_long.pk}"]')
    before = int(total.inner_text())
    official.get_by_role("link", name="Ghi nhận buổi tập huấn").first.click()
    official.select_option(
        "#id_programme", label=f"Phổ cập kỹ năng số cho người dân năm {today.year}"
    )
    official.select_option("#id_unit", label="UBND xã Nghi Long")
    official.select_option("#id_topic", label="Dịch vụ công trực tuyến")
    official.fill("#id_date", today.strftime("%d/%m/%Y"))
    official.fill("#id_place", "Nhà văn hoá xóm 3")
    official.fill("#id_trainer", "Tổ công nghệ số cộng đồng")
    official.fill("#id_attendance", "35")
    official.fill("#id_attendees", "Nguyễn Văn Tâm, 1961\nTrần Thị Mai, 1975")
    screenshot(official, "buoi-tap-huan")
    official.get_by_role("button", name="Lưu").click()
    expect(official.get_by_role("heading", level=1)).to_contain_text("Dịch vụ công trực tuyến")
    expect(official.get_by_text("Nguyễn Văn Tâm (1961)")).to_be_visible()
    session = Session.objects.get(trainer="Tổ công nghệ số cộng đồng")
    assert session.attendance == 35 and session.attendees.count() == 2
    official.get_by_role("link", name="Độ phủ").click()
    expect(official.locator(f'[data-total="{nghi_long.pk}"]')).to_have_text(str(before + 35))
    screenshot(official, "do-phu")
    assert_accessible(official)
