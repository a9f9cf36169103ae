"""The pages: scheduling with all communes, errors shown in Vietnamese (nothing saved), the live
roll call, endpoint check-in by its secret link, minutes, tasks and figures."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congso.meetings import services
from congso.meetings.models import Meeting

from .conftest import next_monday

pytestmark = pytest.mark.django_db


def _form(tree, people, start, **extra):
    local = timezone.localtime(start)
    return {
        "host_unit": tree["district"].pk,
        "title": "Giao ban tuần",
        "chair": people["chair"].pk,
        "day": local.strftime("%d/%m/%Y"),
        "start_time": "07:30",
        "end_time": "09:00",
        "video_provider": "jitsi",
        "agenda": "Tình hình tuần | Văn phòng\nChuyển đổi số",
        "all_communes": "on",
        "weeks": "1",
        "publish": "1",
    } | extra


def test_schedule_with_all_communes(client, tree, people):
    client.force_login(people["clerk"])
    answer = client.post(reverse("meetings:create"), _form(tree, people, next_monday()))
    meeting = Meeting.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "meetings:detail", args=[meeting.pk]
    )
    assert meeting.state == "scheduled" and meeting.invitations.count() == 2
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert "Vào phòng họp trực tuyến" in page.content.decode()


def test_errors_shown_and_nothing_saved(client, tree, people):
    client.force_login(people["clerk"])
    answer = client.post(
        reverse("meetings:create"), _form(tree, people, next_monday(), end_time="07:00")
    )
    assert answer.status_code == 400
    assert "Giờ kết thúc phải sau giờ bắt đầu." in answer.content.decode()
    past = timezone.now() - dt.timedelta(days=2)
    answer = client.post(reverse("meetings:create"), _form(tree, people, past))
    assert "thời điểm đã qua" in answer.content.decode()
    assert not Meeting.objects.exists()


def test_conflict_flagged_on_the_page(client, tree, people, make_meeting):
    make_meeting(start=next_monday())
    client.force_login(people["clerk"])
    answer = client.post(reverse("meetings:create"), _form(tree, people, next_monday()))
    assert answer.status_code == 400 and "Trùng lịch" in answer.content.decode()
    answer = client.post(
        reverse("meetings:create"), _form(tree, people, next_monday(), accept_conflicts="on")
    )
    assert answer.status_code == 302 and Meeting.objects.count() == 2


def test_commune_sees_only_its_meetings(client, scheduled, make_meeting, tree, people):
    hidden = make_meeting(units=[tree["commune_b"]], start=scheduled.end)
    client.force_login(people["commune_a"])
    assert client.get(reverse("meetings:detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("meetings:detail", args=[scheduled.pk])).status_code == 200
    assert client.get(reverse("meetings:create")).status_code == 403
    for view in ("week", "month"):
        page = client.get(
            reverse("meetings:list"), {"view": view, "date": scheduled.start.date().isoformat()}
        )
        assert scheduled.title in page.content.decode()


def test_endpoint_checks_in_by_its_link(client, scheduled, tree, official_at):
    admin = official_at(tree["commune_a"], "leader")
    endpoint = services.save_endpoint(actor=admin, unit=tree["commune_a"], room="Hội trường")
    url = reverse("meetings:endpoint_check_in", args=[endpoint.checkin_token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Hiện không có cuộc họp nào mở điểm danh" in page.content.decode()
    Meeting.objects.filter(pk=scheduled.pk).update(
        start=timezone.now() - dt.timedelta(minutes=2), end=timezone.now() + dt.timedelta(hours=1)
    )
    answer = client.post(url, {"meeting": scheduled.pk})
    assert answer.status_code == 302
    assert scheduled.attendance.get().status == "present"
    client.force_login(admin)
    qr = client.get(reverse("meetings:endpoint_qr", args=[tree["commune_a"].pk]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert client.get(reverse("meetings:endpoint_check_in", args=["khong-dung"])).status_code == 404


def test_roll_call_fragment_and_minutes(client, scheduled, people, tree):
    client.force_login(people["clerk"])
    fragment = client.get(reverse("meetings:roll_call", args=[scheduled.pk])).content.decode()
    assert "UBND xã A" in fragment and 'data-count="waiting">2<' in fragment
    client.post(reverse("meetings:transition", args=[scheduled.pk]), {"action": "start"})
    client.post(reverse("meetings:transition", args=[scheduled.pk]), {"action": "end"})
    client.post(
        reverse("meetings:minutes", args=[scheduled.pk]), {"text": "Nội dung biên bản", "save": "1"}
    )
    refused = client.post(
        reverse("meetings:minutes", args=[scheduled.pk]), {"text": "x", "approve": "1"}
    )
    assert refused.status_code == 400 and "Chỉ người chủ trì" in refused.content.decode()
    client.force_login(people["chair"])
    client.post(reverse("meetings:minutes", args=[scheduled.pk]), {"text": "x", "approve": "1"})
    scheduled.refresh_from_db()
    assert scheduled.state == "minutes_approved"


def test_task_report_page(client, scheduled, people, tree):
    services.transition(scheduled, actor=people["clerk"], action="start")
    services.transition(scheduled, actor=people["clerk"], action="end")
    client.force_login(people["clerk"])
    answer = client.post(
        reverse("meetings:add_conclusion", args=[scheduled.pk]),
        {"text": "Hoàn thành số hoá", "units": [tree["commune_a"].pk], "working_days": "5"},
    )
    assert answer.status_code == 302
    task = scheduled.conclusions.get().tasks.get()
    client.force_login(people["commune_a"])
    answer = client.post(
        reverse("meetings:task", args=[task.pk]), {"text": "Xong", "complete": "on"}
    )
    assert answer.status_code == 400 and "cần kèm tệp minh chứng" in answer.content.decode()
    answer = client.post(reverse("meetings:task", args=[task.pk]), {"text": "Đang làm"})
    assert answer.status_code == 302
    task.refresh_from_db()
    assert task.state == "in_progress"
    for name in ("meetings:tasks", "meetings:report", "meetings:feeds", "meetings:endpoints"):
        assert client.get(reverse(name)).status_code == 200, name
