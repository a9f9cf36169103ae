"""Demo: a year of Monday briefings of Nghi Lộc with all its communes, their attendance (a few
absences and late arrivals), approved minutes, conclusions and tasks (some late, some overdue),
the next weeks already scheduled, and an endpoint in every commune hall.

Bulk-created (a few thousand rows in well under ten seconds) with one audit record for the load;
idempotent: a second run finds the series and stops.
"""

import datetime as dt
import random

from django.utils import timezone

from congso.core import audit
from congso.meetings.lifecycle import MeetingState, TaskState
from congso.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Conclusion,
    ConnectionResult,
    Endpoint,
    Invitation,
    InvitationResponse,
    Meeting,
    Minutes,
    Task,
)
from congso.org.services import communes_of
from congso.worktime.deadlines import is_working_day, next_working_day
from congso.worktime.services import calendar_for

SERIES = "demo-giao-ban-thu-hai"
WEEKS_BACK, WEEKS_AHEAD = 52, 4
CONCLUSIONS = [
    "Đẩy nhanh số hoá hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Rà soát, cập nhật dữ liệu dân cư phục vụ cấp căn cước",
    "Tuyên truyền thanh toán trực tuyến phí, lệ phí",
    "Báo cáo tiến độ giải ngân vốn đầu tư công",
    "Kiện toàn tổ công nghệ số cộng đồng ở các thôn, xóm",
    "Xử lý dứt điểm hồ sơ quá hạn tại bộ phận một cửa",
]
AGENDA = [
    ("Kết quả công tác tuần qua", "Văn phòng HĐND và UBND huyện"),
    ("Chuyển đổi số, dịch vụ công trực tuyến", "Phòng Văn hoá và Thông tin"),
    ("Ý kiến của các xã, thị trấn", ""),
]


def _endpoints(district, communes, rng, now) -> None:
    have = set(Endpoint.objects.values_list("unit_id", flat=True))
    rows = []
    for unit in [district, *communes]:
        if unit.pk in have:
            continue
        failed = rng.random() < 0.08
        rows.append(
            Endpoint(
                unit=unit,
                room="Hội trường UBND" if unit.pk != district.pk else "Phòng họp trực tuyến tầng 2",
                equipment="Camera PTZ, micro hội nghị, màn hình 65 inch, đường truyền 100 Mbps",
                contact_phone="0238386" + f"{unit.pk % 10000:04d}",
                last_tested_at=now - dt.timedelta(days=rng.randint(1, 20)),
                last_test_result=ConnectionResult.FAILED if failed else ConnectionResult.OK,
                last_test_note="Mất tiếng phía điểm cầu" if failed else "",
            )
        )
    Endpoint.objects.bulk_create(rows)


def _mondays(calendar, today):
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=WEEKS_BACK)
    for week in range(WEEKS_BACK + WEEKS_AHEAD + 1):
        day = first + dt.timedelta(weeks=week)
        if is_working_day(calendar, day):
            yield day


def _due(calendar, day, working_days):
    for _n in range(working_days):
        day = next_working_day(calendar, day)
    return day


def load(loaded: dict) -> None:
    if Meeting.objects.filter(series=SERIES).exists():
        return
    units, people = loaded["units"], loaded["people"]
    district = units["district"]
    communes = list(communes_of(district).order_by("name"))
    chair, secretary = people["lanhdao.nghiloc"], people["vanthu.nghiloc"]
    rng = random.Random(6)
    now = timezone.now()
    today = timezone.localdate()
    calendar = calendar_for(district)
    zone = timezone.get_current_timezone()
    _endpoints(district, communes, rng, now)
    room = Endpoint.objects.get(unit=district)

    meetings = []
    for day in _mondays(calendar, today):
        start = dt.datetime.combine(day, dt.time(7, 30), zone)
        if start > now:
            state = MeetingState.SCHEDULED
        elif day >= today - dt.timedelta(days=7):
            state = MeetingState.ENDED
        else:
            state = MeetingState.MINUTES_APPROVED
        meetings.append(
            Meeting(
                host_unit=district,
                title=f"Giao ban trực tuyến UBND huyện với các xã, thị trấn — tuần {day:%d/%m/%Y}",
                chair=chair,
                secretary=secretary,
                room=room,
                start=start,
                end=start + dt.timedelta(hours=2),
                video_room=f"congso-demo-{district.pk}-{day:%Y%m%d}",
                state=state,
                series=SERIES,
                created_by=secretary,
            )
        )
    meetings = Meeting.objects.bulk_create(meetings)
    if not meetings[0].pk:  # backends that do not return ids from a bulk insert
        meetings = list(Meeting.objects.filter(series=SERIES).order_by("start"))

    agenda, invitations, attendance, minutes, conclusions = [], [], [], [], []
    for meeting in meetings:
        held = meeting.state != MeetingState.SCHEDULED
        agenda += [
            AgendaItem(meeting=meeting, order=n, title=title, presenter=presenter)
            for n, (title, presenter) in enumerate(AGENDA)
        ]
        for unit in communes:
            roll = rng.random()
            response = InvitationResponse.ACCEPTED if held else InvitationResponse.PENDING
            if held and roll < 0.04:
                response = InvitationResponse.DECLINED
            invitations.append(
                Invitation(
                    meeting=meeting,
                    unit=unit,
                    response=response,
                    responded_at=meeting.start if held else None,
                )
            )
            if not held:
                continue
            if roll < 0.04:
                attendance.append(
                    Attendance(meeting=meeting, unit=unit, status=AttendanceStatus.ABSENT)
                )
            else:
                late = roll > 0.92
                minutes_after = rng.randint(12, 35) if late else -rng.randint(0, 25)
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        unit=unit,
                        status=AttendanceStatus.LATE if late else AttendanceStatus.PRESENT,
                        checked_in_at=meeting.start + dt.timedelta(minutes=minutes_after),
                    )
                )
        if meeting.state == MeetingState.MINUTES_APPROVED:
            minutes.append(
                Minutes(
                    meeting=meeting,
                    text=(
                        f"Biên bản giao ban ngày {timezone.localtime(meeting.start):%d/%m/%Y}.\n"
                        "Đồng chí Chủ tịch UBND huyện chủ trì; 23 điểm cầu xã, thị trấn tham dự.\n"
                        "Các xã báo cáo kết quả tuần; Văn phòng tổng hợp ý kiến."
                    ),
                    drafted_by=secretary,
                    approved_by=chair,
                    approved_at=meeting.end + dt.timedelta(hours=3),
                )
            )
        if held:
            for text in rng.sample(CONCLUSIONS, 2):
                conclusions.append(Conclusion(meeting=meeting, text=text))
    AgendaItem.objects.bulk_create(agenda)
    Invitation.objects.bulk_create(invitations)
    Attendance.objects.bulk_create(attendance)
    Minutes.objects.bulk_create(minutes)
    conclusions = Conclusion.objects.bulk_create(conclusions)
    if conclusions and not conclusions[0].pk:
        conclusions = list(
            Conclusion.objects.filter(meeting__series=SERIES).select_related("meeting")
        )

    Task.objects.bulk_create(_tasks(conclusions, communes, calendar, rng, today))
    audit.record(
        "meetings.demo.load",
        object_type="meetings.meeting",
        object_id=SERIES,
        object_repr="Giao ban thứ Hai (demo)",
        unit_id=district.pk,
        data={
            "meetings": len(meetings),
            "attendance": len(attendance),
            "conclusions": len(conclusions),
        },
    )


def _tasks(conclusions, communes, calendar, rng, today):
    tasks = []
    for conclusion in conclusions:
        held_on = timezone.localtime(conclusion.meeting.start).date()
        due = _due(calendar, held_on, rng.choice([5, 10, 15]))
        for unit in rng.sample(communes, 3):
            task = Task(conclusion=conclusion, unit=unit, due_date=due, state=TaskState.OPEN)
            if due < today:
                outcome = rng.random()
                if outcome < 0.08:
                    task.state = TaskState.OVERDUE
                else:
                    late_by = rng.randint(1, 6) if outcome > 0.85 else -rng.randint(0, 3)
                    task.state = TaskState.DONE
                    done_on = due + dt.timedelta(days=late_by)
                    task.completed_at = timezone.make_aware(
                        dt.datetime.combine(done_on, dt.time(15, 0))
                    )
            elif held_on < today - dt.timedelta(days=3):
                task.state = TaskState.IN_PROGRESS
            tasks.append(task)
    return tasks
