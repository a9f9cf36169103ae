"""Conclusions of a meeting and one task per unit, due in working days."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.formatting import date as vndate
from congso.notify.services import notify
from congso.worktime.deadlines import is_working_day, next_working_day
from congso.worktime.services import WEEKDAY_NAMES, calendar_for

from ..lifecycle import MeetingState
from ..models import (
    Conclusion,
    Meeting,
    Task,
)
from .access import _require_manager, people_of


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
