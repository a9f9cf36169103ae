"""Meeting invitations to answer and tasks to report on, for the inbox (``core.awaiting``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from congso.core.awaiting import Batch, Item
from congso.core.periods import end_of_day

from .lifecycle import TaskState
from .models import Invitation, InvitationResponse, Task
from .services import LIVE_STATES, acting_unit_ids

OPEN_TASKS = (TaskState.OPEN, TaskState.IN_PROGRESS, TaskState.OVERDUE)


def _task_item(task: Task) -> Item:
    return Item(
        source="meetings",
        kind=_("Nhiệm vụ được giao"),
        title=Truncator(task.conclusion.text).chars(120),
        reference=task.conclusion.meeting.title,
        url=reverse("meetings:task", args=[task.pk]),
        due_at=end_of_day(task.due_date),
        since=task.created_at,
    )


def _invitation_item(invitation: Invitation) -> Item:
    meeting = invitation.meeting
    return Item(
        source="meetings",
        kind=_("Giấy mời chưa trả lời"),
        title=meeting.title,
        reference=str(invitation.unit),
        url=reverse("meetings:detail", args=[meeting.pk]),
        due_at=meeting.start,
        since=meeting.start,
    )


def awaiting(user, limit: int) -> Batch:
    units = acting_unit_ids(user, "meetings.respond")
    if not units:
        return Batch()
    tasks = Task.objects.filter(unit_id__in=units, state__in=OPEN_TASKS)
    invitations = Invitation.objects.filter(
        unit_id__in=units,
        response=InvitationResponse.PENDING,
        meeting__state__in=LIVE_STATES,
        meeting__start__gte=timezone.now(),
    )
    batch = Batch(tasks.count() + invitations.count())
    if limit and batch.count:
        batch.items += [
            _task_item(t)
            for t in tasks.select_related("conclusion__meeting").order_by("due_date")[:limit]
        ]
        batch.items += [
            _invitation_item(i)
            for i in invitations.select_related("meeting", "unit").order_by("meeting__start")[
                :limit
            ]
        ]
    return batch
