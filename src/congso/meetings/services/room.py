"""The meeting's video room (from its provider) and the link each participant joins by."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Meeting,
)
from ..video.base import Participant, RoomSpec, RoomUnavailable
from ..video.registry import provider_for
from .access import may_manage
from .states import LIVE_STATES, _local

#: Joining the video room is possible from this long before the start until this long after the end.
JOIN_OPENS = dt.timedelta(minutes=60)


JOIN_CLOSES = dt.timedelta(hours=2)


def room_spec(meeting: Meeting) -> RoomSpec:
    return RoomSpec(
        room=meeting.video_room, title=meeting.title, start=meeting.start, end=meeting.end
    )


def participant_for(meeting: Meeting, *, user=None, endpoint=None) -> Participant:
    """Chair and host are moderators: the chair, the meeting's secretary, the host's schedulers
    and the host's own endpoint."""
    if endpoint is not None:
        return Participant(
            name=f"{endpoint.unit.short_name or endpoint.unit.name} — {endpoint.room}",
            moderator=endpoint.unit_id == meeting.host_unit_id,
            ident=f"endpoint-{endpoint.pk}",
        )
    return Participant(
        name=str(user),
        email=user.email or "",
        moderator=may_manage(user, meeting),
        ident=f"user-{user.pk}",
    )


def join_url(meeting: Meeting, *, user=None, endpoint=None, now=None) -> str:
    """The provider's link for this participant, when the room is open."""
    now = now or timezone.now()
    if meeting.state not in LIVE_STATES:
        raise ValidationError(
            _("Cuộc họp không mở phòng trực tuyến (đã kết thúc, huỷ hoặc chưa xếp lịch).")
        )
    if now < meeting.start - JOIN_OPENS:
        raise ValidationError(
            _("Phòng họp trực tuyến mở từ %(at)s.") % {"at": _local(meeting.start - JOIN_OPENS)}
        )
    if now > meeting.end + JOIN_CLOSES:
        raise ValidationError(_("Cuộc họp đã kết thúc."))
    participant = participant_for(meeting, user=user, endpoint=endpoint)
    provider, spec = provider_for(meeting.video_provider), room_spec(meeting)
    try:
        provider.open_room(spec)
    except RoomUnavailable as unavailable:
        raise ValidationError(str(unavailable)) from unavailable
    return provider.join_url(spec, participant, now)
