"""Lifecycles of a meeting and of a follow-up task as transition tables on the one engine in
``core.lifecycle``: (state, action) → state.

``check`` is the one function that decides whether an action is allowed from a state; services
call it before changing anything. Who may act (chair, secretary, the assigned unit) is a matter of
permissions, decided in ``services``; what may happen next is decided here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.core import lifecycle
from congso.core.lifecycle import TransitionRefused, row

__all__ = ["TransitionRefused"]


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

M, T = MeetingState, TaskState

#: (from, action, to). Anything not listed is refused.
MEETING = lifecycle.Machine(
    "meetings.meeting",
    MeetingState,
    MEETING_ACTIONS,
    [
        row(M.DRAFT, "schedule", M.SCHEDULED),
        row(M.DRAFT, "cancel", M.CANCELLED),
        row(M.SCHEDULED, "start", M.IN_PROGRESS),
        row(M.SCHEDULED, "cancel", M.CANCELLED),
        row(M.IN_PROGRESS, "end", M.ENDED),
        row(M.ENDED, "approve_minutes", M.MINUTES_APPROVED),
    ],
    noun=_("cuộc họp"),
    initial=M.DRAFT,
    final={M.MINUTES_APPROVED, M.CANCELLED},
)

#: (from, action, to). Anything not listed is refused; a finished task may be reopened.
TASK = lifecycle.Machine(
    "meetings.task",
    TaskState,
    TASK_ACTIONS,
    [
        row(T.OPEN, "report", T.IN_PROGRESS),
        row(T.IN_PROGRESS, "report", T.IN_PROGRESS),
        row(T.OVERDUE, "report", T.OVERDUE),
        row(T.OPEN, "complete", T.DONE),
        row(T.IN_PROGRESS, "complete", T.DONE),
        row(T.OVERDUE, "complete", T.DONE),
        row(T.OPEN, "expire", T.OVERDUE),
        row(T.IN_PROGRESS, "expire", T.OVERDUE),
        row(T.DONE, "reopen", T.IN_PROGRESS, reason=_("Hãy ghi lý do yêu cầu làm tiếp.")),
    ],
    noun=_("nhiệm vụ"),
    initial=T.OPEN,
)

MACHINES = {"meeting": MEETING, "task": TASK}


def check(machine: str, state: str, action: str) -> str:
    """The one gate: the new state when ``action`` is allowed from ``state``, else refused."""
    return MACHINES[machine].check(state, action).lands(state)


def allowed(machine: str, state: str) -> list[str]:
    """Actions allowed from ``state``, in table order (for the buttons on a page)."""
    return MACHINES[machine].actions_from(state)
