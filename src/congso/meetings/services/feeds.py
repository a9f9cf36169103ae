"""Calendar feeds (.ics) of an official's or a unit's meetings."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congso.core import audit

from .. import ics
from ..lifecycle import MeetingState
from ..models import (
    FeedToken,
    Invitation,
    Meeting,
)
from .access import visible_meetings
from .invitation import join_link


def feed_token(*, user=None, unit=None) -> FeedToken:
    if unit is not None:
        token, _created = FeedToken.objects.get_or_create(unit=unit)
    else:
        token, _created = FeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def renew_feed_token(token: FeedToken) -> FeedToken:
    """A leaked feed URL is replaced by a new secret; the old URL stops working."""
    from ..models import new_token

    token.token = new_token()
    token.save(update_fields=["token"])
    audit.record("meetings.feed.renew", token, unit_id=token.unit_id)
    return token


def feed_meetings(token: FeedToken):
    shown = [
        MeetingState.SCHEDULED,
        MeetingState.IN_PROGRESS,
        MeetingState.ENDED,
        MeetingState.MINUTES_APPROVED,
        MeetingState.CANCELLED,
    ]
    if token.unit_id is not None:
        invited = Invitation.objects.filter(unit_id=token.unit_id).values("meeting_id")
        meetings = Meeting.objects.filter(Q(host_unit_id=token.unit_id) | Q(pk__in=invited))
    else:
        meetings = visible_meetings(token.user)
    since = timezone.now() - dt.timedelta(days=90)
    return (
        meetings.filter(state__in=shown, end__gte=since)
        .select_related("chair")
        .prefetch_related("agenda")
        .order_by("start")
    )


def feed_ics(token: FeedToken) -> bytes:
    return ics.feed(feed_meetings(token), join_link)
