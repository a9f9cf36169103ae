"""Pure rules of the feedback app: answer deadlines, complaint codes and report periods.

No database here, so each rule has direct unit tests.
"""

import datetime as dt

from django.conf import settings

from congso.worktime.deadlines import Calendar, TimeUnit, due_at

#: Working days the unit has to answer, per kind (Decree 20/2008/NĐ-CP gives 10 working days to
#: process feedback on administrative regulations). ``CONGSO_FEEDBACK_ANSWER_DAYS`` overrides.
DEFAULT_ANSWER_DAYS = {"feedback": 10, "suggestion": 10}


def answer_days(kind: str) -> int:
    configured = settings.CONGSO_FEEDBACK_ANSWER_DAYS
    return int(configured.get(kind, DEFAULT_ANSWER_DAYS.get(kind, 10)))


def answer_due(calendar: Calendar, received_at: dt.datetime, days: int) -> dt.datetime:
    """The close of the ``days``-th working day after the day of receipt (counted as a dossier's
    processing time: filed out of hours → from the next working period; weekends, holidays and
    the year's swapped days as the unit's calendar says)."""
    return due_at(calendar, received_at, days, TimeUnit.WORKING_DAYS)


def complaint_code(day: dt.date, sequence: int) -> str:
    """``PAKN-YYMMDD-NNNN``: the sequence restarts every day."""
    if not 1 <= sequence <= 9999:
        raise ValueError("at most 9,999 complaints a day")
    return f"PAKN-{day:%y%m%d}-{sequence:04d}"


def is_overdue(due: dt.datetime, settled: dt.datetime | None, at: dt.datetime) -> bool:
    """Still owed at ``at`` and past its deadline."""
    return (settled is None or settled > at) and due < at
