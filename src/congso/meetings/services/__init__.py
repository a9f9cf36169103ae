"""The only code that changes briefings, attendance, minutes and tasks.

Each change runs in one transaction, checks the lifecycle table (``lifecycle.check``) and the
caller's rights, writes ``audit.record`` and queues its notifications in the same transaction, so
nothing is saved half-way and a notification exists exactly when its change was committed.

Rights: an official acts for the units their positions reach (``permissions.acting_units``) and for
the people's committee an office belongs to (``permissions.organs_for``: the district office's clerk
is the district's secretary); approving minutes binds the host organ (``permissions.acts_for``). A
commune sees the meetings it is invited to and its own tasks; the host sees all.

One module per aggregate: ``states`` (live and booked meetings), ``access`` (who acts for which
unit, what they see), ``meeting`` (scheduling, recurring series and the meeting's lifecycle),
``invitation`` (invitations, answers, reminders), ``endpoint`` (the units' video endpoints and their
tests), ``attendance`` (check-in and roll call), ``room`` (the video room and joining it),
``minutes`` (minutes and attached documents), ``conclusion`` (conclusions and their tasks), ``task``
(progress, reopening, overdue and reminders), ``feeds`` (calendar feeds) and ``reorganisation``. The
names below are the app's service API: callers use ``from congso.meetings import services`` and
``services.<name>``.
"""

from .access import (
    acting_unit_ids,
    may,
    may_manage,
    people_of,
    units_to_invite,
    visible_meetings,
    visible_tasks,
)
from .attendance import (
    CHECKIN_OPENS,
    attendance_by_unit,
    attendance_status,
    check_in,
    late_after,
    meetings_to_check_in,
    roll_call,
)
from .conclusion import add_conclusion, due_date_for
from .endpoint import endpoint_by_token, endpoint_coverage, record_connection_test, save_endpoint
from .feeds import feed_ics, feed_meetings, feed_token, renew_feed_token
from .invitation import invite_units, join_link, respond, send_reminders
from .meeting import (
    DONE,
    advance,
    create_meeting,
    find_conflicts,
    occurrences,
    schedule_recurring,
    transition,
    update_meeting,
)
from .minutes import approve_minutes, attach_documents, save_minutes
from .reorganisation import (
    UNFINISHED_TASKS,
    UPCOMING,
    move_to_successor,
    refuse_retirement_with_later_activity,
)
from .room import JOIN_CLOSES, JOIN_OPENS, join_url, participant_for, room_spec
from .states import BOOKED_STATES, LIVE_STATES
from .task import mark_overdue, remind_due_tasks, reopen_task, report_progress, tasks_by_unit

__all__ = [
    "BOOKED_STATES",
    "CHECKIN_OPENS",
    "DONE",
    "JOIN_CLOSES",
    "JOIN_OPENS",
    "LIVE_STATES",
    "UNFINISHED_TASKS",
    "UPCOMING",
    "acting_unit_ids",
    "add_conclusion",
    "advance",
    "approve_minutes",
    "attach_documents",
    "attendance_by_unit",
    "attendance_status",
    "check_in",
    "create_meeting",
    "due_date_for",
    "endpoint_by_token",
    "endpoint_coverage",
    "feed_ics",
    "feed_meetings",
    "feed_token",
    "find_conflicts",
    "invite_units",
    "join_link",
    "join_url",
    "late_after",
    "mark_overdue",
    "may",
    "may_manage",
    "meetings_to_check_in",
    "move_to_successor",
    "occurrences",
    "participant_for",
    "people_of",
    "record_connection_test",
    "refuse_retirement_with_later_activity",
    "remind_due_tasks",
    "renew_feed_token",
    "reopen_task",
    "report_progress",
    "respond",
    "roll_call",
    "room_spec",
    "save_endpoint",
    "save_minutes",
    "schedule_recurring",
    "send_reminders",
    "tasks_by_unit",
    "transition",
    "units_to_invite",
    "update_meeting",
    "visible_meetings",
    "visible_tasks",
]
