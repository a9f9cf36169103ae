"""A meeting: scheduling (conflicts, people, rooms), recurring series, its lifecycle."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.awaiting import Outcome
from congso.core.formatting import date as vndate
from congso.worktime.deadlines import is_working_day
from congso.worktime.services import WEEKDAY_NAMES, calendar_for

from .. import lifecycle
from ..lifecycle import MeetingState
from ..models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Invitation,
    Meeting,
)
from .access import _require, _require_manager
from .invitation import _duplicate_units, _send_invitations
from .states import BOOKED_STATES, _local

if TYPE_CHECKING:
    from congso.org.models import Unit


def _time_errors(start, end, now) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if start is None or end is None:
        return errors
    if end <= start:
        errors["end"] = [_("Giờ kết thúc phải sau giờ bắt đầu.")]
    if start < now:
        errors["start"] = [
            _("Không thể xếp lịch họp vào thời điểm đã qua (%(at)s).") % {"at": _local(start)}
        ]
    return errors


def find_conflicts(*, chair, room, start, end, exclude=None) -> list[str]:
    """Meetings that overlap [start, end) with the same chair or the same host room."""
    overlapping = Meeting.objects.filter(
        state__in=BOOKED_STATES, start__lt=end, end__gt=start
    ).select_related("chair", "room")
    if exclude is not None and exclude.pk:
        overlapping = overlapping.exclude(pk=exclude.pk)
    found = []
    for other in overlapping.filter(Q(chair=chair) | Q(room=room) if room else Q(chair=chair)):
        when = f"{_local(other.start)}–{timezone.localtime(other.end):%H:%M}"
        if other.chair_id == chair.pk:
            found.append(
                _("Trùng lịch: %(chair)s đã chủ trì cuộc họp “%(title)s” (%(when)s).")
                % {"chair": chair, "title": other.title, "when": when}
            )
        if room is not None and other.room_id == room.pk:
            found.append(
                _("Trùng phòng: %(room)s đã được đặt cho cuộc họp “%(title)s” (%(when)s).")
                % {"room": room.room, "title": other.title, "when": when}
            )
    return found


def _validate(meeting_fields: dict, units, now, accept_conflicts, exclude=None) -> None:
    start, end = meeting_fields.get("start"), meeting_fields.get("end")
    errors = _time_errors(start, end, now)
    twice = _duplicate_units(units)
    if twice:
        errors["units"] = twice
    if errors:
        raise ValidationError(errors)
    conflicts = find_conflicts(
        chair=meeting_fields["chair"],
        room=meeting_fields.get("room"),
        start=start,
        end=end,
        exclude=exclude,
    )
    if conflicts and not accept_conflicts:
        raise ValidationError({"conflicts": conflicts}, code="conflict")


def _room_name(host_unit: Unit) -> str:
    return f"congso-{host_unit.pk}-{uuid.uuid4().hex[:12]}"


def _check_people(actor, host_unit, chair, room) -> None:
    _require(
        actor,
        "meetings.schedule",
        host_unit,
        _("Bạn không có quyền xếp lịch họp cho đơn vị “%(unit)s”.") % {"unit": host_unit},
    )
    if not chair.is_official:
        raise ValidationError({"chair": [_("Người chủ trì phải là cán bộ, công chức.")]})
    if room is not None and room.unit_id != host_unit.pk:
        raise ValidationError({"room": [_("Phòng họp chính phải là điểm cầu của đơn vị chủ trì.")]})


@transaction.atomic
def create_meeting(
    *,
    actor,
    host_unit,
    title,
    chair,
    start,
    end,
    secretary=None,
    room=None,
    video_provider="jitsi",
    units=(),
    agenda=(),
    accept_conflicts=False,
    series="",
    now=None,
) -> Meeting:
    """A draft meeting with its agenda (``(title, presenter)`` pairs) and invited units."""
    units = list(units)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Hãy nhập tên cuộc họp.")]})
    _check_people(actor, host_unit, chair, room)
    fields = {"chair": chair, "room": room, "start": start, "end": end}
    _validate(fields, units, now or timezone.now(), accept_conflicts)
    meeting = Meeting.objects.create(
        host_unit=host_unit,
        title=title,
        chair=chair,
        secretary=secretary,
        room=room,
        start=start,
        end=end,
        video_provider=video_provider,
        video_room=_room_name(host_unit),
        series=series,
        created_by=actor,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=n, title=item_title, presenter=presenter or "")
        for n, (item_title, presenter) in enumerate(agenda)
        if item_title.strip()
    )
    Invitation.objects.bulk_create(Invitation(meeting=meeting, unit=unit) for unit in units)
    audit.record(
        "meetings.meeting.create",
        meeting,
        unit_id=host_unit.pk,
        data={"start": start, "end": end, "units": [u.pk for u in units], "series": series},
    )
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting, *, actor, accept_conflicts=False, now=None, **fields
) -> Meeting:
    """Change title, chair, secretary, room, times or provider of a meeting not yet held; the
    invited get the updated invitation (a higher iCalendar SEQUENCE) when it was scheduled."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor, meeting)
    if meeting.state not in {MeetingState.DRAFT, MeetingState.SCHEDULED}:
        raise ValidationError(_("Chỉ sửa được cuộc họp chưa diễn ra."))
    editable = {"title", "chair", "secretary", "room", "start", "end", "video_provider"}
    unknown = set(fields) - editable
    if unknown:
        raise ValidationError(_("Không sửa được: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    changed = {k: v for k, v in fields.items() if getattr(meeting, k) != v}
    for name, value in changed.items():
        setattr(meeting, name, value)
    _check_people(actor, meeting.host_unit, meeting.chair, meeting.room)
    if {"start", "end", "chair", "room"} & set(changed):
        current = {
            "chair": meeting.chair,
            "room": meeting.room,
            "start": meeting.start,
            "end": meeting.end,
        }
        _validate(current, [], now or timezone.now(), accept_conflicts, exclude=meeting)
    if not changed:
        return meeting
    meeting.sequence += 1
    meeting.save()
    audit.record(
        "meetings.meeting.update",
        meeting,
        unit_id=meeting.host_unit_id,
        data={"changed": sorted(changed)},
    )
    if meeting.state == MeetingState.SCHEDULED:
        _send_invitations(meeting)
    return meeting


def occurrences(first_start: dt.datetime, weeks: int, calendar) -> tuple[list[dt.datetime], list]:
    """The weekly starts of a recurring briefing, skipping days off: (starts, skipped dates)."""
    if weeks < 1 or weeks > 104:
        raise ValidationError({"weeks": [_("Số tuần lặp lại phải từ 1 đến 104.")]})
    starts, skipped = [], []
    local = timezone.localtime(first_start)
    for week in range(weeks):
        day = (local + dt.timedelta(weeks=week)).date()
        start = timezone.make_aware(dt.datetime.combine(day, local.time()), local.tzinfo)
        if is_working_day(calendar, day):
            starts.append(start)
        else:
            skipped.append(day)
    return starts, skipped


@transaction.atomic
def schedule_recurring(*, weeks: int, actor, start, end, publish=True, **fields):
    """A weekly briefing for ``weeks`` weeks in one call: all occurrences or none.

    Returns ``(meetings, messages)``; the messages say which weeks fell on a day off and were
    skipped."""
    if end <= start:
        raise ValidationError({"end": [_("Giờ kết thúc phải sau giờ bắt đầu.")]})
    duration = end - start
    starts, skipped = occurrences(start, weeks, calendar_for(fields.get("host_unit")))
    if not starts:  # every week falls on a day off (a Sunday series): nothing would be held
        day = timezone.localtime(start).date()
        raise ValidationError(
            {
                "start": [
                    _(
                        "Mọi buổi của chuỗi họp hằng tuần đều rơi vào ngày nghỉ (%(weekday)s); "
                        "hãy chọn một ngày làm việc."
                    )
                    % {"weekday": WEEKDAY_NAMES[day.weekday()]}
                ]
            }
        )
    series = uuid.uuid4().hex
    meetings, conflicts = [], []
    for when in starts:
        try:
            meetings.append(
                create_meeting(
                    actor=actor, start=when, end=when + duration, series=series, **fields
                )
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict") or set(error.error_dict) != {"conflicts"}:
                raise
            conflicts += [f"{vndate(when)}: {m}" for m in error.messages]
    if conflicts:
        raise ValidationError({"conflicts": conflicts}, code="conflict")
    if publish:
        meetings = [transition(m, actor=actor, action="schedule") for m in meetings]
    messages = [
        _("Bỏ qua %(weekday)s %(day)s vì là ngày nghỉ.")
        % {"weekday": WEEKDAY_NAMES[day.weekday()], "day": vndate(day)}
        for day in skipped
    ]
    return meetings, messages


def transition(meeting: Meeting, *, actor, action: str, now=None) -> Meeting:
    """``advance`` for callers that need only the meeting."""
    return advance(meeting, actor=actor, action=action, now=now).subject


#: What each step of a meeting says it did (``%(n)s`` officials, ``%(units)s`` units told).
DONE = {
    "schedule": _("Đã xếp lịch và gửi giấy mời đến %(n)s cán bộ của %(units)s đơn vị."),
    "start": _("Đã bắt đầu cuộc họp; hãy điểm danh các điểm cầu."),
    "end": _("Đã kết thúc cuộc họp; bước tiếp theo là dự thảo biên bản và kết luận."),
    "cancel": _("Đã huỷ cuộc họp; đã báo %(n)s cán bộ của %(units)s đơn vị."),
}


@transaction.atomic
def advance(meeting: Meeting, *, actor, action: str, now=None) -> Outcome:
    """Schedule (send invitations), start, end (absences recorded) or cancel a meeting, and say
    what happened and who was told."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if action == "approve_minutes":
        raise ValidationError(_("Duyệt biên bản bằng chức năng duyệt biên bản."))
    _require_manager(actor, meeting)
    try:
        target = lifecycle.check("meeting", meeting.state, action)
    except lifecycle.TransitionRefused as refused:
        raise ValidationError(str(refused)) from refused
    now = now or timezone.now()
    if action == "schedule" and meeting.start < now:
        raise ValidationError(_("Không thể xếp lịch họp vào thời điểm đã qua."))
    if action == "schedule" and not meeting.invitations.exists():
        raise ValidationError(_("Hãy mời ít nhất một đơn vị trước khi gửi giấy mời."))
    previous, meeting.state = meeting.state, target
    if action == "cancel":
        meeting.sequence += 1
    meeting.save(update_fields=["state", "sequence"])
    if action == "end":
        _record_absences(meeting)
    audit.record(
        f"meetings.meeting.{action}",
        meeting,
        unit_id=meeting.host_unit_id,
        data={"from": previous, "to": target},
    )
    told = 0
    if action == "schedule" or (action == "cancel" and previous == MeetingState.SCHEDULED):
        told = _send_invitations(meeting)
    units = meeting.invitations.count()
    said = DONE[action] % {"n": told, "units": units} if action in DONE else ""
    return Outcome(said, (), meeting)


def _record_absences(meeting: Meeting) -> None:
    present = set(meeting.attendance.values_list("unit_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, unit_id=unit_id, status=AttendanceStatus.ABSENT)
        for unit_id in meeting.invitations.values_list("unit_id", flat=True)
        if unit_id not in present
    )
