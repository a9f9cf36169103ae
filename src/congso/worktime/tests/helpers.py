"""Shared values for the worktime tests: the time zone, a local-time shortcut, calendars."""

import datetime as dt

from congso.worktime.deadlines import DEFAULT_TIME_ZONE, Calendar

TZ = DEFAULT_TIME_ZONE
PLAIN = Calendar()
#: The calendar with the announced New Year 2026 swap (12729/VPCP-KGVX), as the demo loads it.
NEW_YEAR_2026 = Calendar(days_off={dt.date(2026, 1, 2)}, working_days={dt.date(2026, 1, 10)})


def at(text: str) -> dt.datetime:
    """``"2026-02-13 09:00"`` → that wall-clock time in Asia/Ho_Chi_Minh."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
