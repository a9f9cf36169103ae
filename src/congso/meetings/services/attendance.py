"""Attendance: check-in at the endpoint, roll call, attendance by unit."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.collation import by_vietnamese

from ..lifecycle import MeetingState
from ..models import (
    Attendance,
    AttendanceStatus,
    Meeting,
)
from .access import _require
from .states import LIVE_STATES, _local

#: Check-in opens this long before the start.
CHECKIN_OPENS = dt.timedelta(minutes=60)


def late_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.CONGSO_MEETINGS_LATE_MINUTES)


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
