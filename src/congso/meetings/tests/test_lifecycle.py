"""Both transition tables, every (state, action) pair: allowed ones give the table's target,
all others are refused with a Vietnamese message."""

import itertools

import pytest

from congso.meetings import lifecycle
from congso.meetings.lifecycle import MeetingState, TaskState, TransitionRefused

MEETING_EXPECTED = {
    ("draft", "schedule"): "scheduled",
    ("draft", "cancel"): "cancelled",
    ("scheduled", "start"): "in_progress",
    ("scheduled", "cancel"): "cancelled",
    ("in_progress", "end"): "ended",
    ("ended", "approve_minutes"): "minutes_approved",
}
TASK_EXPECTED = {
    ("open", "report"): "in_progress",
    ("in_progress", "report"): "in_progress",
    ("overdue", "report"): "overdue",
    ("open", "complete"): "done",
    ("in_progress", "complete"): "done",
    ("overdue", "complete"): "done",
    ("open", "expire"): "overdue",
    ("in_progress", "expire"): "overdue",
    ("done", "reopen"): "in_progress",
}


@pytest.mark.parametrize(
    "state,action", list(itertools.product(MeetingState.values, lifecycle.MEETING_ACTIONS))
)
def test_meeting_table(state, action):
    expected = MEETING_EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(TransitionRefused, match="Không thể"):
            lifecycle.check("meeting", state, action)
    else:
        assert lifecycle.check("meeting", state, action) == expected


@pytest.mark.parametrize(
    "state,action", list(itertools.product(TaskState.values, lifecycle.TASK_ACTIONS))
)
def test_task_table(state, action):
    expected = TASK_EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(TransitionRefused, match="Không thể"):
            lifecycle.check("task", state, action)
    else:
        assert lifecycle.check("task", state, action) == expected


def test_final_states_have_no_way_out():
    for state in ("minutes_approved", "cancelled"):
        assert lifecycle.allowed("meeting", state) == []


def test_unknown_action_is_refused():
    with pytest.raises(TransitionRefused, match="không tồn tại"):
        lifecycle.check("meeting", "draft", "teleport")
