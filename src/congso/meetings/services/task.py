"""Tasks: progress and completion reported by the unit, reopening, overdue marks, reminders."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.collation import sort_key
from congso.core.lifecycle import stated_reason
from congso.core.uploads import check_file
from congso.worktime.deadlines import next_working_day
from congso.worktime.services import calendar_for

from .. import lifecycle
from ..lifecycle import TaskState
from ..models import ProgressReport, Task
from .access import _require, _require_manager
from .conclusion import _notify_unit


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
