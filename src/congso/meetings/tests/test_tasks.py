"""Minutes, conclusions and tasks: due dates in working days, a day off moved and said, progress
with evidence, overdue alerts once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.core.tests import support
from congso.meetings import services
from congso.meetings.models import Task
from congso.notify.models import Notification
from congso.worktime.deadlines import Calendar

pytestmark = pytest.mark.django_db

PNG = support.png()


@pytest.fixture
def ended(scheduled, people, tree):
    services.transition(scheduled, actor=people["clerk"], action="start")
    services.check_in(scheduled, tree["commune_a"], now=scheduled.start)
    services.transition(scheduled, actor=people["clerk"], action="end")
    return scheduled


def test_due_date_in_working_days():
    calendar = Calendar()
    friday = dt.date(2030, 3, 8)
    due, note = services.due_date_for(calendar, start=friday, working_days=3)
    assert due == dt.date(2030, 3, 13) and note is None


def test_due_date_on_a_sunday_moves_and_says_so():
    calendar = Calendar()
    due, note = services.due_date_for(
        calendar, start=dt.date(2030, 3, 4), due_date=dt.date(2030, 3, 10)
    )
    assert due == dt.date(2030, 3, 11)
    assert note == (
        "Hạn 10/03/2030 (Chủ nhật) là ngày nghỉ; đã chuyển sang ngày làm việc tiếp theo 11/03/2030."
    )


def test_due_date_on_a_public_holiday():
    due, note = services.due_date_for(
        Calendar(), start=dt.date(2030, 8, 20), due_date=dt.date(2030, 9, 2)
    )
    assert due == dt.date(2030, 9, 4) and "02/09/2030" in note


def test_minutes_then_approval_by_the_chair(ended, people):
    with pytest.raises(ValidationError, match="Chưa có dự thảo biên bản"):
        services.approve_minutes(ended, actor=people["chair"])
    services.save_minutes(ended, actor=people["clerk"], text="Các xã báo cáo tình hình tuần.")
    with pytest.raises(PermissionDenied):
        services.approve_minutes(ended, actor=people["clerk"])
    minutes = services.approve_minutes(ended, actor=people["chair"])
    ended.refresh_from_db()
    assert ended.state == "minutes_approved" and minutes.approved_by == people["chair"]
    with pytest.raises(ValidationError, match="đã được duyệt"):
        services.save_minutes(ended, actor=people["clerk"], text="sửa")


def test_conclusion_makes_one_task_per_unit(ended, people, tree):
    conclusion, notes = services.add_conclusion(
        ended,
        actor=people["clerk"],
        text="Hoàn thành số hoá hồ sơ hộ tịch",
        units=[tree["commune_a"], tree["commune_b"]],
        due_date=dt.date(2030, 3, 10),
        today=dt.date(2030, 3, 4),
    )
    assert [t.due_date for t in conclusion.tasks.all()] == [dt.date(2030, 3, 11)] * 2
    assert notes and "đã chuyển sang ngày làm việc tiếp theo 11/03/2030" in notes[0]
    assert Notification.objects.filter(
        template="meetings.task_assigned", user=people["commune_a"]
    ).exists()


def test_conclusion_unit_twice_is_refused(ended, people, tree):
    with pytest.raises(ValidationError, match="được giao hai lần"):
        services.add_conclusion(
            ended,
            actor=people["clerk"],
            text="x",
            units=[tree["commune_a"], tree["commune_a"]],
            working_days=5,
        )
    assert not Task.objects.exists()


def test_progress_then_completion_with_evidence(ended, people, tree):
    conclusion, _notes = services.add_conclusion(
        ended, actor=people["clerk"], text="Báo cáo", units=[tree["commune_a"]], working_days=5
    )
    task = conclusion.tasks.get()
    with pytest.raises(PermissionDenied):
        services.report_progress(task, actor=people["commune_b"], text="x")
    services.report_progress(task, actor=people["commune_a"], text="Đang triển khai")
    task.refresh_from_db()
    assert task.state == "in_progress"
    with pytest.raises(ValidationError, match="cần kèm tệp minh chứng"):
        services.report_progress(task, actor=people["commune_a"], text="Xong", complete=True)
    with pytest.raises(ValidationError, match="không"):
        services.report_progress(
            task,
            actor=people["commune_a"],
            text="Xong",
            complete=True,
            evidence=SimpleUploadedFile("a.pdf", b"not a pdf"),
        )
    task.refresh_from_db()
    assert task.state == "in_progress"
    report = services.report_progress(
        task,
        actor=people["commune_a"],
        text="Xong",
        complete=True,
        evidence=SimpleUploadedFile("anh.png", PNG),
    )
    task.refresh_from_db()
    assert task.state == "done" and task.on_time is True
    assert report.evidence.name.endswith(".png") and len(report.evidence_sha256) == 64
    services.reopen_task(task, actor=people["clerk"], reason="Thiếu danh sách")
    task.refresh_from_db()
    assert task.state == "in_progress" and task.completed_at is None


def test_overdue_alert_once(ended, people, tree):
    conclusion, _ = services.add_conclusion(
        ended, actor=people["clerk"], text="Báo cáo", units=[tree["commune_a"]], working_days=2
    )
    task = conclusion.tasks.get()
    later = task.due_date + dt.timedelta(days=1)
    assert services.mark_overdue(today=later) == 1
    assert services.mark_overdue(today=later) == 0
    task.refresh_from_db()
    assert task.state == "overdue"
    alerts = Notification.objects.filter(template="meetings.task_overdue", channel="email")
    assert set(alerts.values_list("user_id", flat=True)) == {
        people["commune_a"].pk,
        people["chair"].pk,
    }
    rows = services.tasks_by_unit(Task.objects.all())
    assert rows[0]["overdue"] == 1 and rows[0]["percent"] == 0


def test_due_tomorrow_reminder_once(ended, people, tree):
    conclusion, _ = services.add_conclusion(
        ended, actor=people["clerk"], text="Báo cáo", units=[tree["commune_a"]], working_days=1
    )
    task = conclusion.tasks.get()
    day_before = task.due_date - dt.timedelta(days=1)
    while day_before.weekday() >= 5:
        day_before -= dt.timedelta(days=1)
    services.remind_due_tasks(today=day_before)
    services.remind_due_tasks(today=day_before)
    assert Notification.objects.filter(template="meetings.task_due", channel="email").count() == 1
