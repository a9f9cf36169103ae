"""An online briefing from end to end: the district's secretary schedules it with all communes,
the invitations reach a real SMTP server with a valid .ics, a commune hall checks in from its
screen, the meeting runs, the chair approves the minutes, a task is assigned and the commune
completes it with evidence."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from congso.accounts.models import User
from congso.core.tests.support import png
from congso.demo import signing as signing_demo
from congso.meetings import services
from congso.meetings.models import Meeting, Task
from congso.notify.services import drain_until_idle
from congso.notify.tests.conftest import smtp_server, smtp_settings  # noqa: F401 - fixtures
from congso.org.models import Unit
from congso.signing.tests.support import pdfsig

pytestmark = pytest.mark.browser


@pytest.fixture
def mailbox(request):
    """What the real SMTP server (aiosmtpd, the notify tests' fixture) received."""
    return request.getfixturevalue("smtp_settings")


PNG = png()


def _slot():
    """A start 20 minutes from now (check-in opens an hour before), an hour long, same day."""
    start = timezone.localtime() + dt.timedelta(minutes=20)
    end = min(start + dt.timedelta(hours=1), start.replace(hour=23, minute=59))
    if end <= start + dt.timedelta(minutes=5):
        pytest.skip("too close to midnight for a same-day meeting")
    return start, end


def _ics_of(message) -> Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no text/calendar part")


def _new_page(browser, site, username):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    site.submit_login(page, username)
    return page


def test_briefing_from_schedule_to_completed_task(
    desktop_page,
    page,
    browser,
    site,
    demo,
    mailbox,
    screenshot,
    tmp_path,
):
    start, end = _slot()
    clerk = desktop_page
    site.submit_login(clerk, "vanthu.nghiloc")
    clerk.goto(site.url("meetings:create"))
    clerk.select_option("#id_host_unit", label="UBND huyện Nghi Lộc")
    clerk.fill("#id_title", "Giao ban trực tuyến đột xuất về chuyển đổi số")
    clerk.select_option("#id_chair", label="Nguyễn Văn Lãnh")
    clerk.fill("#id_day", start.strftime("%d/%m/%Y"))
    clerk.fill("#id_start_time", start.strftime("%H:%M"))
    clerk.fill("#id_end_time", end.strftime("%H:%M"))
    clerk.fill("#id_agenda", "Tiến độ số hoá hồ sơ | Văn phòng\nÝ kiến các xã")
    clerk.check("#id_all_communes")
    clerk.check("#id_accept_conflicts")
    screenshot(clerk, "lich")
    clerk.get_by_role("button", name="Xếp lịch và gửi giấy mời").click()
    expect(clerk.locator("#meeting-state")).to_have_text("Đã xếp lịch")
    meeting = Meeting.objects.get(title="Giao ban trực tuyến đột xuất về chuyển đổi số")
    assert meeting.invitations.count() == 23

    drain_until_idle()
    commune_leader = User.objects.get(username="lanhdao.nghilong")
    mails = [m for m in mailbox.messages if commune_leader.email in m["To"]]
    assert len(mails) == 1 and "Giấy mời họp" in mails[0]["Subject"]
    calendar = _ics_of(mails[0])
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event["DTSTART"].dt == meeting.start
    assert str(event["LOCATION"]).endswith(f"/meetings/{meeting.pk}/join/")
    assert f"mailto:{commune_leader.email}" in {str(a) for a in event["ATTENDEE"]}

    nghi_long = Unit.objects.get(name__endswith="Nghi Long", kind="commune")
    endpoint = services.save_endpoint(
        actor=commune_leader, unit=nghi_long, room="Hội trường UBND xã"
    )
    page.goto(site.url("meetings:endpoint_check_in", endpoint.checkin_token))
    page.get_by_role("button", name="Điểm danh điểm cầu").click()
    expect(page.locator("main")).to_contain_text("Đã điểm danh")
    screenshot(page, "diem-danh")

    clerk.reload()
    expect(clerk.locator('#roll-call [data-count="present"]')).to_have_text("1")
    clerk.get_by_role("button", name="Bắt đầu cuộc họp").click()
    expect(clerk.locator("#meeting-state")).to_have_text("Đang họp")
    clerk.get_by_role("button", name="Kết thúc cuộc họp").click()
    expect(clerk.locator("#meeting-state")).to_have_text("Đã kết thúc")
    expect(clerk.locator('#roll-call [data-count="absent"]')).to_have_text("22")

    clerk.goto(site.url("meetings:minutes", meeting.pk))
    clerk.fill("#id_text", "Các xã báo cáo tiến độ số hoá; huyện giao nhiệm vụ cho xã Nghi Long.")
    clerk.get_by_role("button", name="Lưu dự thảo").click()
    expect(clerk.locator("main")).to_contain_text("Đã lưu dự thảo biên bản")

    _root, issuing = signing_demo.ensure_authorities()
    signing_demo.issue_for_unit(meeting.host_unit, issuing)
    chair = _new_page(browser, site, "lanhdao.nghiloc")
    chair.goto(site.url("meetings:minutes", meeting.pk))
    chair.get_by_role("button", name="Duyệt biên bản").click()
    expect(chair.locator("#meeting-state")).to_have_text("Đã duyệt biên bản")
    expect(chair.locator("[data-minutes-signed]")).to_have_attribute("data-minutes-signed", "true")
    with chair.expect_download() as download:
        chair.get_by_role("link", name="Tải biên bản đã ký số (PDF)").click()
    signed = tmp_path / "bien-ban.pdf"
    download.value.save_as(signed)
    assert pdfsig(signed).signature_valid
    chair.context.close()

    clerk.goto(site.url("meetings:detail", meeting.pk))
    clerk.fill("#id_text", "Hoàn thành số hoá 100% hồ sơ hộ tịch năm nay")
    clerk.get_by_label(nghi_long.name, exact=True).check()
    clerk.fill("#id_working_days", "5")
    clerk.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(clerk.locator("main")).to_contain_text("Đã giao nhiệm vụ")
    task = Task.objects.get(conclusion__meeting=meeting)

    site.submit_login(page, "congchuc.nghilong")
    page.goto(site.url("meetings:tasks"))
    page.get_by_role("link", name="Hoàn thành số hoá 100% hồ sơ hộ tịch năm nay").click()
    page.fill("#id_text", "Đã số hoá xong, gửi kèm danh sách.")
    page.set_input_files(
        "#id_evidence", files=[{"name": "danh-sach.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.check("#id_complete")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#task-state")).to_have_text("Đã hoàn thành")
    screenshot(page, "nhiem-vu")
    task.refresh_from_db()
    assert task.state == "done" and task.on_time is True
