"""Lifecycles of a meeting and of a follow-up task as transition tables: (state, action) → state.

``check`` is the one function that decides whether an action is allowed from a state; services
call it before changing anything. Who may act (chair, secretary, the assigned unit) is a matter of
permissions, decided in ``services``; what may happen next is decided here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SCHEDULED = "scheduled", _("Đã xếp lịch")
    IN_PROGRESS = "in_progress", _("Đang họp")
    ENDED = "ended", _("Đã kết thúc")
    MINUTES_APPROVED = "minutes_approved", _("Đã duyệt biên bản")
    CANCELLED = "cancelled", _("Đã huỷ")


class TaskState(models.TextChoices):
    OPEN = "open", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    OVERDUE = "overdue", _("Quá hạn")


MEETING_ACTIONS = {
    "schedule": _("Xếp lịch và gửi giấy mời"),
    "start": _("Bắt đầu cuộc họp"),
    "end": _("Kết thúc cuộc họp"),
    "approve_minutes": _("Duyệt biên bản"),
    "cancel": _("Huỷ cuộc họp"),
}

TASK_ACTIONS = {
    "report": _("Báo cáo tiến độ"),
    "complete": _("Báo cáo hoàn thành"),
    "expire": _("Chuyển quá hạn"),
    "reopen": _("Yêu cầu làm tiếp"),
}

#: (state, action) → new state. Anything not listed is refused.
MEETING_TRANSITIONS: dict[tuple[str, str], str] = {
    (MeetingState.DRAFT, "schedule"): MeetingState.SCHEDULED,
    (MeetingState.DRAFT, "cancel"): MeetingState.CANCELLED,
    (MeetingState.SCHEDULED, "start"): MeetingState.IN_PROGRESS,
    (MeetingState.SCHEDULED, "cancel"): MeetingState.CANCELLED,
    (MeetingState.IN_PROGRESS, "end"): MeetingState.ENDED,
    (MeetingState.ENDED, "approve_minutes"): MeetingState.MINUTES_APPROVED,
}

TASK_TRANSITIONS: dict[tuple[str, str], str] = {
    (TaskState.OPEN, "report"): TaskState.IN_PROGRESS,
    (TaskState.IN_PROGRESS, "report"): TaskState.IN_PROGRESS,
    (TaskState.OVERDUE, "report"): TaskState.OVERDUE,
    (TaskState.OPEN, "complete"): TaskState.DONE,
    (TaskState.IN_PROGRESS, "complete"): TaskState.DONE,
    (TaskState.OVERDUE, "complete"): TaskState.DONE,
    (TaskState.OPEN, "expire"): TaskState.OVERDUE,
    (TaskState.IN_PROGRESS, "expire"): TaskState.OVERDUE,
    (TaskState.DONE, "reopen"): TaskState.IN_PROGRESS,
}

MACHINES = {
    "meeting": (MEETING_TRANSITIONS, MEETING_ACTIONS, MeetingState, _("cuộc họp")),
    "task": (TASK_TRANSITIONS, TASK_ACTIONS, TaskState, _("nhiệm vụ")),
}


class TransitionRefused(Exception):
    """Raised with a Vietnamese message saying why."""


def check(machine: str, state: str, action: str) -> str:
    """The one gate: the new state when ``action`` is allowed from ``state``, else refused."""
    table, actions, states, noun = MACHINES[machine]
    if action not in actions:
        raise TransitionRefused(_("Thao tác “%(action)s” không tồn tại.") % {"action": action})
    target = table.get((state, action))
    if target is None:
        raise TransitionRefused(
            _("Không thể “%(label)s” khi %(noun)s đang ở trạng thái “%(state)s”.")
            % {"label": actions[action], "noun": noun, "state": states(state).label}
        )
    return target


def allowed(machine: str, state: str) -> list[str]:
    """Actions allowed from ``state``, in table order (for the buttons on a page)."""
    table = MACHINES[machine][0]
    return [action for (source, action) in table if source == state]
