"""Which meetings are live or hold their time slot, and how an instant reads in a message."""

import datetime as dt

from django.utils import timezone

from congso.core.formatting import datetime as vndatetime

from ..lifecycle import MeetingState

LIVE_STATES = {MeetingState.SCHEDULED, MeetingState.IN_PROGRESS}


BOOKED_STATES = {MeetingState.DRAFT, MeetingState.SCHEDULED, MeetingState.IN_PROGRESS}


def _local(instant: dt.datetime) -> str:
    return vndatetime(timezone.localtime(instant))
