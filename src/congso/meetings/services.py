"""The only code that changes briefings, attendance, minutes and tasks.

Each change runs in one transaction, checks the lifecycle table (``lifecycle.check``) and the
caller's rights, writes ``audit.record`` and queues its notifications in the same transaction, so
nothing is saved half-way and a notification exists exactly when its change was committed.

Rights: an official acts for the units their positions reach (``permissions.acting_units``) and for
the people's committee an office belongs to (``permissions.organs_for``: the district office's clerk
is the district's secretary); approving minutes binds the host organ (``permissions.acts_for``). A commune sees the meetings it is invited to and its own tasks; the host sees all.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts import permissions
from congso.accounts.models import Position
from congso.accounts.permissions import roles_for
from congso.core import audit
from congso.core.awaiting import Outcome
from congso.core.collation import by_vietnamese, sort_key
from congso.core.formatting import date as vndate
from congso.core.formatting import datetime as vndatetime
from congso.core.lifecycle import stated_reason
from congso.core.periods import local_midnight
from congso.core.uploads import check_file, check_files
from congso.notify.models import Notification
from congso.notify.services import notify
from congso.org.models import Unit
from congso.worktime.deadlines import is_working_day, next_working_day
from congso.worktime.services import WEEKDAY_NAMES, calendar_for

from . import ics, lifecycle, minutes_pdf
from .lifecycle import MeetingState, TaskState
from .models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Conclusion,
    ConnectionResult,
    Endpoint,
    FeedToken,
    Invitation,
    InvitationResponse,
    Meeting,
    MeetingDocument,
    Minutes,
    ProgressReport,
    Task,
)
from .video.base import Participant, RoomSpec, RoomUnavailable
from .video.registry import provider_for

#: Check-in opens this long before the start.
CHECKIN_OPENS = dt.timedelta(minutes=60)
#: Joining the video room is possible from this long before the start until this long after the end.
JOIN_OPENS = dt.timedelta(minutes=60)
JOIN_CLOSES = dt.timedelta(hours=2)
LIVE_STATES = {MeetingState.SCHEDULED, MeetingState.IN_PROGRESS}
BOOKED_STATES = {MeetingState.DRAFT, MeetingState.SCHEDULED, MeetingState.IN_PROGRESS}


def late_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.CONGSO_MEETINGS_LATE_MINUTES)


def _local(instant: dt.datetime) -> str:
    return vndatetime(timezone.localtime(instant))


# --- Who acts for which unit -----------------------------------------------------------------


def acting_unit_ids(user, action: str) -> set[int]:
    """Units ``user`` may do ``action`` for: the reach of their positions plus, for an office
    (department, desk), the people's committee it belongs to."""
    if user is None or not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_meetings_acting", {})
    if action not in cache:
        reach = permissions.acting_units(user, action).values_list("pk", flat=True)
        organs = permissions.organs_for(user, action).values_list("pk", flat=True)
        cache[action] = set(reach) | set(organs)
    return cache[action]


def may(user, action: str, unit) -> bool:
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    return unit is not None and unit.pk in acting_unit_ids(user, action)


def _require(user, action: str, unit, message: str) -> None:
    if not may(user, action, unit):
        raise PermissionDenied(message)


def may_manage(user, meeting: Meeting) -> bool:
    """The host's secretaries and leaders, the chair and the meeting's secretary run it."""
    return (
        meeting.chair_id == getattr(user, "pk", None)
        or (meeting.secretary_id is not None and meeting.secretary_id == getattr(user, "pk", None))
        or may(user, "meetings.schedule", meeting.host_unit)
    )


def _require_manager(user, meeting: Meeting) -> None:
    if not may_manage(user, meeting):
        raise PermissionDenied(
            _("Chỉ đơn vị chủ trì, chủ trì hoặc thư ký cuộc họp được làm việc này.")
        )


def visible_meetings(user):
    """Meetings ``user`` may see: hosted by or inviting a unit they act for, or theirs to chair."""
    if user is None or not user.is_authenticated:
        return Meeting.objects.none()
    if user.is_superuser:
        return Meeting.objects.all()
    ids = acting_unit_ids(user, "meetings.view")
    condition = Q(host_unit_id__in=ids) | Q(chair=user) | Q(secretary=user)
    invited = Invitation.objects.filter(unit_id__in=ids).values("meeting_id")
    return Meeting.objects.filter(condition | Q(pk__in=invited))


def visible_tasks(user):
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    if user.is_superuser:
        return Task.objects.all()
    ids = acting_unit_ids(user, "meetings.view")
    return Task.objects.filter(
        Q(unit_id__in=ids)
        | Q(conclusion__meeting__host_unit_id__in=ids)
        | Q(conclusion__meeting__chair=user)
    )


def units_to_invite(user):
    """Units a host may invite: the localities and offices under the units it schedules for."""
    ids = acting_unit_ids(user, "meetings.schedule")
    paths = Unit.objects.filter(pk__in=ids).values_list("path", flat=True)
    condition = Q(pk__in=ids)
    for path in paths:
        condition |= Q(path__startswith=path + ".")
    return Unit.objects.active().filter(condition).order_by("path")


# --- Scheduling ------------------------------------------------------------------------------


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


def _duplicate_units(units) -> list[str]:
    seen, twice = set(), []
    for unit in units:
        if unit.pk in seen:
            twice.append(_("Đơn vị “%(unit)s” được mời hai lần.") % {"unit": unit})
        seen.add(unit.pk)
    return twice


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


@transaction.atomic
def invite_units(meeting: Meeting, units, *, actor) -> list[Invitation]:
    """Add units to a meeting not yet held; a unit already invited is refused, not doubled."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor, meeting)
    if meeting.state not in {MeetingState.DRAFT, MeetingState.SCHEDULED}:
        raise ValidationError(_("Chỉ mời thêm đơn vị khi cuộc họp chưa diễn ra."))
    units = list(units)
    errors = _duplicate_units(units)
    already = set(meeting.invitations.values_list("unit_id", flat=True))
    errors += [
        _("Đơn vị “%(unit)s” đã được mời dự cuộc họp này.") % {"unit": unit}
        for unit in units
        if unit.pk in already
    ]
    if errors:
        raise ValidationError({"units": errors})
    created = Invitation.objects.bulk_create(Invitation(meeting=meeting, unit=u) for u in units)
    audit.record(
        "meetings.meeting.invite",
        meeting,
        unit_id=meeting.host_unit_id,
        data={"units": [u.pk for u in units]},
    )
    if meeting.state == MeetingState.SCHEDULED:
        _send_invitations(meeting, only_units={u.pk for u in units})
    return created


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


# --- Lifecycle -------------------------------------------------------------------------------


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


# --- Invitations and notifications -----------------------------------------------------------


def people_of(unit_ids, action="meetings.view"):
    """Officials holding a current position at one of the units that grants ``action``."""
    roles = roles_for(None, action)
    positions = (
        Position.objects.current()
        .filter(unit_id__in=list(unit_ids), role__in=roles, user__is_active=True)
        .select_related("user")
    )
    people = {}
    for position in positions:
        people.setdefault(position.user_id, (position.user, position.unit_id))
    return list(people.values())


def join_link(meeting: Meeting) -> str:
    """The platform's join page: it mints the provider's link when someone actually joins."""
    return settings.PUBLIC_URL + reverse("meetings:join", args=[meeting.pk])


def _recipients(meeting: Meeting, only_units=None):
    unit_ids = set(meeting.invitations.values_list("unit_id", flat=True))
    if only_units is not None:
        unit_ids &= set(only_units)
    people = people_of(unit_ids)
    contacts = Endpoint.objects.filter(unit_id__in=unit_ids, contact_person__isnull=False)
    known = {user.pk for user, _unit in people}
    for endpoint in contacts.select_related("contact_person"):
        if endpoint.contact_person_id not in known:
            people.append((endpoint.contact_person, endpoint.unit_id))
            known.add(endpoint.contact_person_id)
    if only_units is None and meeting.chair_id not in known:
        people.append((meeting.chair, meeting.host_unit_id))
    return people


def _context(meeting: Meeting) -> dict:
    return {
        "title": meeting.title,
        "start": timezone.localtime(meeting.start),
        "end": timezone.localtime(meeting.end),
        "chair": str(meeting.chair),
        "host": str(meeting.host_unit),
        "join_url": join_link(meeting),
        "url": reverse("meetings:detail", args=[meeting.pk]),
        "agenda": [
            f"{a.title}" + (f" ({a.presenter})" if a.presenter else "")
            for a in meeting.agenda.all()
        ],
    }


def _send_invitations(meeting: Meeting, only_units=None) -> int:
    """E-mail (with the .ics) and in-app notice to each invited official; idempotent per
    meeting version, so a retried transaction or a repeated call sends nothing twice."""
    people = _recipients(meeting, only_units)
    attendees = [(user.email, str(user)) for user, _unit in people if user.email]
    invitation_ics = ics.invitation(meeting, join_link(meeting), attendees)
    cancelled = meeting.state == MeetingState.CANCELLED
    template = "meetings.cancelled" if cancelled else "meetings.invitation"
    method = "CANCEL" if cancelled else "REQUEST"
    for user, _unit in people:
        notify(
            user,
            template,
            {**_context(meeting), "name": str(user)},
            dedup_key=f"meetings:{template}:{meeting.pk}:{meeting.sequence}:{user.pk}",
            attachments=[("giay-moi.ics", invitation_ics, f"text/calendar; method={method}")],
        )
    return len(people)


@transaction.atomic
def respond(invitation: Invitation, *, actor, response: str, delegate_name: str = "") -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting", "unit")
        .get(pk=invitation.pk)
    )
    _require(
        actor,
        "meetings.respond",
        invitation.unit,
        _("Bạn không có quyền trả lời giấy mời thay đơn vị này."),
    )
    if response not in {
        InvitationResponse.ACCEPTED,
        InvitationResponse.DECLINED,
        InvitationResponse.DELEGATED,
    }:
        raise ValidationError(
            {"response": [_("Hãy chọn tham dự, không tham dự hoặc cử người dự thay.")]}
        )
    delegate_name = (delegate_name or "").strip()
    if response == InvitationResponse.DELEGATED and not delegate_name:
        raise ValidationError({"delegate_name": [_("Hãy ghi họ tên người dự thay.")]})
    if invitation.meeting.state not in LIVE_STATES:
        raise ValidationError(_("Chỉ trả lời giấy mời của cuộc họp đã xếp lịch, chưa kết thúc."))
    invitation.response = response
    invitation.delegate_name = delegate_name if response == InvitationResponse.DELEGATED else ""
    invitation.responded_at = timezone.now()
    invitation.save()
    audit.record(
        "meetings.invitation.respond",
        invitation,
        unit_id=invitation.unit_id,
        data={"meeting": invitation.meeting_id, "response": response, "delegate": delegate_name},
    )
    return invitation


def send_reminders(now=None) -> int:
    """Remind the invited one day and one hour before each scheduled meeting. The dedup key
    (meeting, start, kind, person) makes every reminder go out once, however often this runs
    and whatever worker restarts; a moved meeting gets fresh reminders for its new time."""
    now = now or timezone.now()
    upcoming = Meeting.objects.filter(
        state=MeetingState.SCHEDULED, start__gt=now, start__lte=now + dt.timedelta(days=1)
    ).select_related("chair", "host_unit")
    queued = Notification.objects.filter(dedup_key__startswith="meetings:remind:")
    before = queued.count()
    for meeting in upcoming:
        kind = "hour" if meeting.start - now <= dt.timedelta(hours=1) else "day"
        stamp = int(meeting.start.timestamp())
        with transaction.atomic():
            for user, _unit in _recipients(meeting):
                notify(
                    user,
                    f"meetings.reminder_{kind}",
                    _context(meeting),
                    dedup_key=f"meetings:remind:{kind}:{meeting.pk}:{stamp}:{user.pk}",
                )
    return queued.count() - before


# --- Endpoints and attendance ----------------------------------------------------------------


@transaction.atomic
def save_endpoint(
    *, actor, unit, room, equipment="", contact_person=None, contact_phone=""
) -> Endpoint:
    _require(
        actor, "meetings.endpoint", unit, _("Bạn không có quyền khai báo điểm cầu của đơn vị này.")
    )
    if not (room or "").strip():
        raise ValidationError({"room": [_("Hãy nhập tên phòng họp của điểm cầu.")]})
    endpoint, created = Endpoint.objects.update_or_create(
        unit=unit,
        defaults={
            "room": room.strip(),
            "equipment": equipment,
            "contact_person": contact_person,
            "contact_phone": contact_phone,
        },
    )
    audit.record(
        "meetings.endpoint.create" if created else "meetings.endpoint.update",
        endpoint,
        unit_id=unit.pk,
    )
    return endpoint


@transaction.atomic
def record_connection_test(endpoint: Endpoint, *, actor, ok: bool, note: str = "") -> Endpoint:
    """Keep the date and result of the endpoint's latest connection test."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    _require(
        actor, "meetings.endpoint", endpoint.unit, _("Bạn không có quyền kiểm tra điểm cầu này.")
    )
    if not ok and not note.strip():
        raise ValidationError({"note": [_("Hãy ghi lỗi gặp phải khi kiểm tra không đạt.")]})
    endpoint.last_tested_at = timezone.now()
    endpoint.last_test_result = ConnectionResult.OK if ok else ConnectionResult.FAILED
    endpoint.last_test_note = note.strip()[:300]
    endpoint.save()
    audit.record(
        "meetings.endpoint.test",
        endpoint,
        unit_id=endpoint.unit_id,
        data={"ok": ok, "note": endpoint.last_test_note},
    )
    return endpoint


def endpoint_coverage(units) -> dict:
    """Of ``units``, how many have an endpoint whose last connection test passed."""
    units = list(units)
    endpoints = {e.unit_id: e for e in Endpoint.objects.filter(unit__in=units)}
    rows = [(unit, endpoints.get(unit.pk)) for unit in units]
    working = sum(1 for _u, e in rows if e is not None and e.is_working)
    total = len(rows)
    return {
        "rows": rows,
        "working": working,
        "total": total,
        "percent": round(100 * working / total) if total else 0,
    }


def attendance_status(meeting: Meeting, at: dt.datetime) -> str:
    return AttendanceStatus.LATE if at > meeting.start + late_after() else AttendanceStatus.PRESENT


@transaction.atomic
def check_in(meeting: Meeting, unit, *, actor=None, now=None) -> Attendance:
    """Record that ``unit``'s endpoint joined; a second check-in keeps the first time.

    ``actor`` is ``None`` when the check-in comes from the endpoint's own secret link (the hall's
    screen), which already proves the endpoint."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    now = now or timezone.now()
    if actor is not None:
        _require(
            actor, "meetings.respond", unit, _("Bạn không có quyền điểm danh thay đơn vị này.")
        )
    if not meeting.invitations.filter(unit=unit).exists():
        raise ValidationError(_("Đơn vị “%(unit)s” không có trong danh sách mời.") % {"unit": unit})
    if meeting.state in {MeetingState.ENDED, MeetingState.MINUTES_APPROVED} or now > meeting.end:
        raise ValidationError(
            _("Cuộc họp đã kết thúc lúc %(at)s; không thể điểm danh.") % {"at": _local(meeting.end)}
        )
    if meeting.state not in LIVE_STATES:
        raise ValidationError(_("Cuộc họp chưa xếp lịch hoặc đã huỷ; không thể điểm danh."))
    if now < meeting.start - CHECKIN_OPENS:
        raise ValidationError(
            _("Chưa đến giờ điểm danh: mở từ %(at)s.")
            % {"at": _local(meeting.start - CHECKIN_OPENS)}
        )
    existing = meeting.attendance.filter(unit=unit).first()
    if existing is not None:
        return existing
    attendance = Attendance.objects.create(
        meeting=meeting, unit=unit, checked_in_at=now, status=attendance_status(meeting, now)
    )
    audit.record(
        "meetings.attendance.check_in",
        attendance,
        unit_id=unit.pk,
        data={"meeting": meeting.pk, "status": attendance.status},
    )
    return attendance


def endpoint_by_token(token: str) -> Endpoint | None:
    return Endpoint.objects.select_related("unit").filter(checkin_token=token).first()


def meetings_to_check_in(unit, now=None):
    """Meetings of ``unit`` open for check-in now (from an hour before the start to the end)."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            invitations__unit=unit,
            state__in=LIVE_STATES,
            start__lte=now + CHECKIN_OPENS,
            end__gte=now,
        )
        .select_related("host_unit")
        .order_by("start")
    )


def roll_call(meeting: Meeting) -> dict:
    """Each invited unit with its reply and check-in, and the counts, for the live roll call."""
    attendance = {a.unit_id: a for a in meeting.attendance.all()}
    rows = [
        {"invitation": inv, "unit": inv.unit, "attendance": attendance.get(inv.unit_id)}
        for inv in meeting.invitations.select_related("unit").order_by(by_vietnamese("unit__name"))
    ]
    counts = {status: 0 for status in AttendanceStatus.values}
    for row in rows:
        if row["attendance"] is not None:
            counts[row["attendance"].status] += 1
    counts["waiting"] = sum(1 for row in rows if row["attendance"] is None)
    return {"rows": rows, "counts": counts, "total": len(rows)}


def attendance_by_unit(meetings) -> list[dict]:
    """Present / late / absent per unit over ``meetings``, most absences first."""
    figures = (
        Attendance.objects.filter(meeting__in=meetings)
        .values("unit_id", "unit__name")
        .annotate(
            present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
            late=Count("pk", filter=Q(status=AttendanceStatus.LATE)),
            absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        )
        .order_by("-absent", by_vietnamese("unit__name"))
    )
    return list(figures)


# --- Video -----------------------------------------------------------------------------------


def room_spec(meeting: Meeting) -> RoomSpec:
    return RoomSpec(
        room=meeting.video_room, title=meeting.title, start=meeting.start, end=meeting.end
    )


def participant_for(meeting: Meeting, *, user=None, endpoint=None) -> Participant:
    """Chair and host are moderators: the chair, the meeting's secretary, the host's schedulers
    and the host's own endpoint."""
    if endpoint is not None:
        return Participant(
            name=f"{endpoint.unit.short_name or endpoint.unit.name} — {endpoint.room}",
            moderator=endpoint.unit_id == meeting.host_unit_id,
            ident=f"endpoint-{endpoint.pk}",
        )
    return Participant(
        name=str(user),
        email=user.email or "",
        moderator=may_manage(user, meeting),
        ident=f"user-{user.pk}",
    )


def join_url(meeting: Meeting, *, user=None, endpoint=None, now=None) -> str:
    """The provider's link for this participant, when the room is open."""
    now = now or timezone.now()
    if meeting.state not in LIVE_STATES:
        raise ValidationError(
            _("Cuộc họp không mở phòng trực tuyến (đã kết thúc, huỷ hoặc chưa xếp lịch).")
        )
    if now < meeting.start - JOIN_OPENS:
        raise ValidationError(
            _("Phòng họp trực tuyến mở từ %(at)s.") % {"at": _local(meeting.start - JOIN_OPENS)}
        )
    if now > meeting.end + JOIN_CLOSES:
        raise ValidationError(_("Cuộc họp đã kết thúc."))
    participant = participant_for(meeting, user=user, endpoint=endpoint)
    provider, spec = provider_for(meeting.video_provider), room_spec(meeting)
    try:
        provider.open_room(spec)
    except RoomUnavailable as unavailable:
        raise ValidationError(str(unavailable)) from unavailable
    return provider.join_url(spec, participant, now)


# --- Minutes, conclusions and tasks ----------------------------------------------------------


@transaction.atomic
def save_minutes(meeting: Meeting, *, actor, text: str) -> Minutes:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor, meeting)
    if meeting.state not in {MeetingState.IN_PROGRESS, MeetingState.ENDED}:
        if meeting.state == MeetingState.MINUTES_APPROVED:
            raise ValidationError(_("Biên bản đã được duyệt, không sửa được nữa."))
        raise ValidationError(_("Chỉ ghi biên bản khi cuộc họp đang diễn ra hoặc đã kết thúc."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Biên bản chưa có nội dung.")]})
    minutes, created = Minutes.objects.update_or_create(
        meeting=meeting, defaults={"text": text, "drafted_by": actor}
    )
    audit.record(
        "meetings.minutes.draft",
        minutes,
        unit_id=meeting.host_unit_id,
        data={"meeting": meeting.pk, "new": created, "length": len(text)},
    )
    return minutes


@transaction.atomic
def approve_minutes(meeting: Meeting, *, actor, now=None) -> Minutes:
    """The chair (or a leader of the host) approves the minutes; the meeting is then closed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.chair_id != actor.pk and not permissions.acts_for(
        actor, "meetings.approve", meeting.host_unit
    ):
        raise PermissionDenied(
            _("Chỉ người chủ trì hoặc lãnh đạo đơn vị chủ trì được duyệt biên bản.")
        )
    try:
        target = lifecycle.check("meeting", meeting.state, "approve_minutes")
    except lifecycle.TransitionRefused as refused:
        raise ValidationError(str(refused)) from refused
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not minutes.text.strip():
        raise ValidationError(_("Chưa có dự thảo biên bản để duyệt."))
    minutes.approved_by = actor
    minutes.approved_at = now or timezone.now()
    minutes.save(update_fields=["approved_by", "approved_at"])
    meeting.state = target
    meeting.save(update_fields=["state"])
    audit.record(
        "meetings.minutes.approve",
        minutes,
        unit_id=meeting.host_unit_id,
        data={"meeting": meeting.pk},
    )
    minutes.meeting = meeting
    return minutes_pdf.issue(minutes, actor)


@transaction.atomic
def attach_documents(
    meeting: Meeting, *, actor, files, title: str = "", document_number: str = ""
) -> list[MeetingDocument]:
    """The host adds documents for the meeting (checked uploads; an optional number of a
    registered document as free text). Invited units see them on the meeting page."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor, meeting)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("Cuộc họp đã huỷ; không thêm tài liệu được."))
    title, number = (title or "").strip(), (document_number or "").strip()
    checked = check_files(files)
    if not checked and number:
        checked, title = _from_register(actor, number, title)
    if not checked:
        raise ValidationError({"files": [_("Chọn ít nhất một tệp tài liệu.")]})
    documents = []
    for item in checked:
        document = MeetingDocument(
            meeting=meeting,
            title=(title if len(checked) == 1 and title else item.name)[:300],
            document_number=number[:100],
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            uploaded_by=actor,
        )
        document.file.save(
            f"{item.sha256[:16]}.{item.extension}", ContentFile(item.data), save=False
        )
        document.save()
        audit.record(
            "meetings.document.attach",
            document,
            unit_id=meeting.host_unit_id,
            data={"meeting": meeting.pk, "sha256": item.sha256, "number": document.document_number},
        )
        documents.append(document)
    return documents


def _from_register(actor, number: str, title: str) -> tuple[list, str]:
    """The registered document ``number`` as the one file to attach (its title by default)."""
    from congso.documents.services import registered_file

    found = registered_file(actor, number)
    if found is None:
        raise ValidationError(
            {
                "document_number": [
                    _(
                        "Không tìm thấy văn bản số “%(number)s” trong sổ văn bản bạn được xem; "
                        "hãy tải tệp lên."
                    )
                    % {"number": number}
                ]
            }
        )
    subject, name, data = found
    return check_files([SimpleUploadedFile(name, data)]), title or subject


def due_date_for(calendar, *, start: dt.date, working_days=None, due_date=None):
    """``(due date, message or None)``: N working days after ``start``, or the date asked for,
    moved to the next working day when it is a day off (and the message says so)."""
    if working_days is not None:
        if working_days < 1 or working_days > 365:
            raise ValidationError({"working_days": [_("Số ngày làm việc phải từ 1 đến 365.")]})
        day = start
        for _n in range(working_days):
            day = next_working_day(calendar, day)
        return day, None
    if due_date is None:
        raise ValidationError(
            {"due_date": [_("Hãy cho hạn hoàn thành: một ngày hoặc số ngày làm việc.")]}
        )
    if due_date < start:
        raise ValidationError(
            {"due_date": [_("Hạn hoàn thành không được trước ngày %(d)s.") % {"d": vndate(start)}]}
        )
    if is_working_day(calendar, due_date):
        return due_date, None
    moved = next_working_day(calendar, due_date)
    message = _(
        "Hạn %(asked)s (%(weekday)s) là ngày nghỉ; đã chuyển sang ngày làm việc tiếp theo %(moved)s."
    ) % {
        "asked": vndate(due_date),
        "weekday": WEEKDAY_NAMES[due_date.weekday()],
        "moved": vndate(moved),
    }
    return moved, message


@transaction.atomic
def add_conclusion(
    meeting: Meeting, *, actor, text: str, units, working_days=None, due_date=None, today=None
):
    """A conclusion of the meeting and one task per unit. Returns ``(conclusion, messages)``."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor, meeting)
    if meeting.state not in {
        MeetingState.IN_PROGRESS,
        MeetingState.ENDED,
        MeetingState.MINUTES_APPROVED,
    }:
        raise ValidationError(_("Chỉ ghi kết luận của cuộc họp đã diễn ra."))
    text = (text or "").strip()
    units = list(units)
    errors = {}
    if not text:
        errors["text"] = [_("Hãy nhập nội dung kết luận.")]
    if not units:
        errors["units"] = [_("Hãy chọn ít nhất một đơn vị thực hiện.")]
    else:
        seen: set[int] = set()
        twice = [u for u in units if u.pk in seen or seen.add(u.pk)]
        if twice:
            errors["units"] = [
                _("Đơn vị “%(unit)s” được giao hai lần.") % {"unit": unit} for unit in twice
            ]
    if errors:
        raise ValidationError(errors)
    today = today or timezone.localdate()
    due, message = due_date_for(
        calendar_for(meeting.host_unit), start=today, working_days=working_days, due_date=due_date
    )
    conclusion = Conclusion.objects.create(meeting=meeting, text=text)
    tasks = Task.objects.bulk_create(
        Task(conclusion=conclusion, unit=u, due_date=due) for u in units
    )
    audit.record(
        "meetings.conclusion.create",
        conclusion,
        unit_id=meeting.host_unit_id,
        data={"meeting": meeting.pk, "units": [u.pk for u in units], "due": due},
    )
    for task in tasks:
        _notify_unit(task, "meetings.task_assigned", f"meetings:task:{task.pk}:assigned")
    return conclusion, [message] if message else []


def _task_context(task: Task) -> dict:
    return {
        "text": task.conclusion.text,
        "meeting": task.conclusion.meeting.title,
        "unit": str(task.unit),
        "due_date": task.due_date,
        "url": reverse("meetings:task", args=[task.pk]),
    }


def _notify_unit(task: Task, template: str, key: str, unit_ids=None) -> None:
    for user, _unit in people_of(unit_ids or [task.unit_id], "meetings.respond"):
        notify(user, template, _task_context(task), dedup_key=f"{key}:{user.pk}")


@transaction.atomic
def report_progress(
    task: Task, *, actor, text: str, evidence=None, complete=False
) -> ProgressReport:
    """A unit reports progress, or completion with an evidence file (PDF, JPEG or PNG)."""
    task = Task.objects.select_for_update().select_related("conclusion__meeting").get(pk=task.pk)
    _require(
        actor,
        "meetings.respond",
        task.unit,
        _("Bạn không có quyền báo cáo nhiệm vụ của đơn vị này."),
    )
    action = "complete" if complete else "report"
    try:
        target = lifecycle.check("task", task.state, action)
    except lifecycle.TransitionRefused as refused:
        raise ValidationError(str(refused)) from refused
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Hãy nhập nội dung báo cáo.")]})
    if complete and evidence is None:
        raise ValidationError({"evidence": [_("Báo cáo hoàn thành cần kèm tệp minh chứng.")]})
    report = ProgressReport(task=task, author=actor, text=text, completes=complete)
    if evidence is not None:
        checked = check_file(evidence)
        report.evidence.save(
            f"nhiem-vu-{task.pk}.{checked.extension}", ContentFile(checked.data), save=False
        )
        report.evidence_sha256 = checked.sha256
    report.save()
    previous, task.state = task.state, target
    if complete:
        task.completed_at = timezone.now()
    task.save(update_fields=["state", "completed_at"])
    audit.record(
        f"meetings.task.{action}",
        task,
        unit_id=task.unit_id,
        data={
            "from": previous,
            "to": target,
            "report": report.pk,
            "evidence": report.evidence_sha256,
        },
    )
    return report


@transaction.atomic
def reopen_task(task: Task, *, actor, reason: str) -> Task:
    """The host sends a completed task back (the evidence is not enough)."""
    task = Task.objects.select_for_update().select_related("conclusion__meeting").get(pk=task.pk)
    _require_manager(actor, task.conclusion.meeting)
    try:
        target = lifecycle.check("task", task.state, "reopen")
    except lifecycle.TransitionRefused as refused:
        raise ValidationError(str(refused)) from refused
    reason = stated_reason(lifecycle.TASK.row(task.state, "reopen"), reason, field="reason")
    task.state, task.completed_at = target, None
    task.save(update_fields=["state", "completed_at"])
    ProgressReport.objects.create(task=task, author=actor, text=reason)
    audit.record("meetings.task.reopen", task, unit_id=task.unit_id, data={"reason": reason})
    return task


def mark_overdue(today=None) -> int:
    """Tasks past their due date become overdue; the unit and the host are alerted once."""
    today = today or timezone.localdate()
    late = Task.objects.filter(
        state__in=[TaskState.OPEN, TaskState.IN_PROGRESS], due_date__lt=today
    ).select_related("conclusion__meeting")
    count = 0
    for task in late:
        with transaction.atomic():
            locked = Task.objects.select_for_update().get(pk=task.pk)
            target = lifecycle.check("task", locked.state, "expire")
            locked.state = target
            locked.save(update_fields=["state"])
            audit.record(
                "meetings.task.expire",
                locked,
                unit_id=locked.unit_id,
                data={"due": locked.due_date},
            )
            host = task.conclusion.meeting.host_unit_id
            _notify_unit(
                locked,
                "meetings.task_overdue",
                f"meetings:task:{task.pk}:overdue",
                [task.unit_id, host],
            )
            count += 1
    return count


def remind_due_tasks(today=None) -> int:
    """Remind units of tasks due on the next working day (once per task)."""
    today = today or timezone.localdate()
    tomorrow = next_working_day(calendar_for(), today)
    due = Task.objects.filter(
        state__in=[TaskState.OPEN, TaskState.IN_PROGRESS],
        due_date__gt=today,
        due_date__lte=tomorrow,
    ).select_related("conclusion__meeting", "unit")
    for task in due:
        with transaction.atomic():
            _notify_unit(task, "meetings.task_due", f"meetings:task:{task.pk}:due:{task.due_date}")
    return len(due)


def tasks_by_unit(tasks) -> list[dict]:
    """Done on time, done late, still open and overdue, per unit: the follow-up report."""
    rows: dict[int, dict] = {}
    for task in tasks.select_related("unit"):
        row = rows.setdefault(
            task.unit_id,
            {"unit": task.unit, "on_time": 0, "late": 0, "open": 0, "overdue": 0, "total": 0},
        )
        row["total"] += 1
        if task.state == TaskState.DONE:
            row["on_time" if task.on_time else "late"] += 1
        elif task.state == TaskState.OVERDUE:
            row["overdue"] += 1
        else:
            row["open"] += 1
    for row in rows.values():
        row["percent"] = round(100 * row["on_time"] / row["total"]) if row["total"] else 0
    return sorted(rows.values(), key=lambda r: (r["percent"], sort_key(r["unit"].name)))


# --- Calendar feeds --------------------------------------------------------------------------


def feed_token(*, user=None, unit=None) -> FeedToken:
    if unit is not None:
        token, _created = FeedToken.objects.get_or_create(unit=unit)
    else:
        token, _created = FeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def renew_feed_token(token: FeedToken) -> FeedToken:
    """A leaked feed URL is replaced by a new secret; the old URL stops working."""
    from .models import new_token

    token.token = new_token()
    token.save(update_fields=["token"])
    audit.record("meetings.feed.renew", token, unit_id=token.unit_id)
    return token


def feed_meetings(token: FeedToken):
    shown = [
        MeetingState.SCHEDULED,
        MeetingState.IN_PROGRESS,
        MeetingState.ENDED,
        MeetingState.MINUTES_APPROVED,
        MeetingState.CANCELLED,
    ]
    if token.unit_id is not None:
        invited = Invitation.objects.filter(unit_id=token.unit_id).values("meeting_id")
        meetings = Meeting.objects.filter(Q(host_unit_id=token.unit_id) | Q(pk__in=invited))
    else:
        meetings = visible_meetings(token.user)
    since = timezone.now() - dt.timedelta(days=90)
    return (
        meetings.filter(state__in=shown, end__gte=since)
        .select_related("chair")
        .prefetch_related("agenda")
        .order_by("start")
    )


def feed_ics(token: FeedToken) -> bytes:
    return ics.feed(feed_meetings(token), join_link)


# --- Reorganisation of units (org's ``unit_retiring`` / ``unit_merged`` hooks) -----------------

#: Meetings not yet held and tasks not yet done: what a merged unit hands on.
UPCOMING = [MeetingState.DRAFT, MeetingState.SCHEDULED]
UNFINISHED_TASKS = [TaskState.OPEN, TaskState.IN_PROGRESS, TaskState.OVERDUE]


def refuse_retirement_with_later_activity(sender, *, unit, successor, on, **kwargs) -> None:
    """A unit cannot end on a day before a meeting it hosted or attended afterwards."""
    after = local_midnight(on + dt.timedelta(days=1))
    held = Meeting.objects.exclude(state__in=[*UPCOMING, MeetingState.CANCELLED])
    later = (
        held.filter(host_unit=unit, start__gte=after).exists()
        or Attendance.objects.filter(unit=unit, meeting__start__gte=after).exists()
    )
    if later:
        raise ValidationError(
            _(
                "Đơn vị còn chủ trì hoặc tham dự cuộc họp sau ngày %(day)s; không thể cho hết "
                "hiệu lực từ ngày đó."
            )
            % {"day": on.strftime("%d/%m/%Y")}
        )


def move_to_successor(sender, *, unit, successor, on, **kwargs) -> dict:
    """A merged unit's meetings not yet held are hosted by its successor, its invitations to
    them go to the successor (once: an invitation it already has stands) and its unfinished
    tasks are the successor's. Held meetings, attendance and minutes keep the old unit."""
    upcoming = Meeting.objects.filter(state__in=UPCOMING)
    invitations = Invitation.objects.filter(unit=unit, meeting__in=upcoming)
    already = invitations.filter(meeting__invitations__unit=successor)
    moved = {
        "meetings": upcoming.filter(host_unit=unit).update(host_unit=successor),
        "invitations_merged": already.count(),
    }
    already.delete()
    moved["invitations"] = invitations.update(unit=successor)
    tasks = Task.objects.filter(unit=unit, state__in=UNFINISHED_TASKS)
    moved["tasks"] = tasks.update(unit=successor)
    audit.record(
        "meetings.reorganise",
        unit,
        unit_id=successor.pk,
        data={"successor": successor.pk, "on": on, **moved},
    )
    return moved
