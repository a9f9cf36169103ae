"""Invitations of units: sending them (e-mail with the .ics, in-app), answers, reminders."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.notify.services import notify, queued_count

from .. import ics
from ..lifecycle import MeetingState
from ..models import (
    Endpoint,
    Invitation,
    InvitationResponse,
    Meeting,
)
from .access import _require, _require_manager, people_of
from .states import LIVE_STATES


def _duplicate_units(units) -> list[str]:
    seen, twice = set(), []
    for unit in units:
        if unit.pk in seen:
            twice.append(_("Đơn vị “%(unit)s” được mời hai lần.") % {"unit": unit})
        seen.add(unit.pk)
    return twice


@transaction.atomic
def invite_units(meeting: Meeting, units, *, actor) -> list[Invitation]:
    """Add units to a meeting not yet held; a unit already invited is refused, not doubled."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor, meeting)
    if meeting.state not in {MeetingState.DRAFT, MeetingState.SCHEDULED}:
        raise ValidationError(_("Chỉ mời thêm đơn vị khi cuộc họp chưa diễn ra."))
    units = list(units)
    errors = _duplicate_units(units)
    already = set(meeting.invitations.values_list("unit_id", flat=True))
    errors += [
        _("Đơn vị “%(unit)s” đã được mời dự cuộc họp này.") % {"unit": unit}
        for unit in units
        if unit.pk in already
    ]
    if errors:
        raise ValidationError({"units": errors})
    created = Invitation.objects.bulk_create(Invitation(meeting=meeting, unit=u) for u in units)
    audit.record(
        "meetings.meeting.invite",
        meeting,
        unit_id=meeting.host_unit_id,
        data={"units": [u.pk for u in units]},
    )
    if meeting.state == MeetingState.SCHEDULED:
        _send_invitations(meeting, only_units={u.pk for u in units})
    return created


def join_link(meeting: Meeting) -> str:
    """The platform's join page: it mints the provider's link when someone actually joins."""
    return settings.PUBLIC_URL + reverse("meetings:join", args=[meeting.pk])


def _recipients(meeting: Meeting, only_units=None):
    unit_ids = set(meeting.invitations.values_list("unit_id", flat=True))
    if only_units is not None:
        unit_ids &= set(only_units)
    people = people_of(unit_ids)
    contacts = Endpoint.objects.filter(unit_id__in=unit_ids, contact_person__isnull=False)
    known = {user.pk for user, _unit in people}
    for endpoint in contacts.select_related("contact_person"):
        if endpoint.contact_person_id not in known:
            people.append((endpoint.contact_person, endpoint.unit_id))
            known.add(endpoint.contact_person_id)
    if only_units is None and meeting.chair_id not in known:
        people.append((meeting.chair, meeting.host_unit_id))
    return people


def _context(meeting: Meeting) -> dict:
    return {
        "title": meeting.title,
        "start": timezone.localtime(meeting.start),
        "end": timezone.localtime(meeting.end),
        "chair": str(meeting.chair),
        "host": str(meeting.host_unit),
        "join_url": join_link(meeting),
        "url": reverse("meetings:detail", args=[meeting.pk]),
        "agenda": [
            f"{a.title}" + (f" ({a.presenter})" if a.presenter else "")
            for a in meeting.agenda.all()
        ],
    }


def _send_invitations(meeting: Meeting, only_units=None) -> int:
    """E-mail (with the .ics) and in-app notice to each invited official; idempotent per
    meeting version, so a retried transaction or a repeated call sends nothing twice."""
    people = _recipients(meeting, only_units)
    attendees = [(user.email, str(user)) for user, _unit in people if user.email]
    invitation_ics = ics.invitation(meeting, join_link(meeting), attendees)
    cancelled = meeting.state == MeetingState.CANCELLED
    template = "meetings.cancelled" if cancelled else "meetings.invitation"
    method = "CANCEL" if cancelled else "REQUEST"
    for user, _unit in people:
        notify(
            user,
            template,
            {**_context(meeting), "name": str(user)},
            dedup_key=f"meetings:{template}:{meeting.pk}:{meeting.sequence}:{user.pk}",
            attachments=[("giay-moi.ics", invitation_ics, f"text/calendar; method={method}")],
        )
    return len(people)


@transaction.atomic
def respond(invitation: Invitation, *, actor, response: str, delegate_name: str = "") -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting", "unit")
        .get(pk=invitation.pk)
    )
    _require(
        actor,
        "meetings.respond",
        invitation.unit,
        _("Bạn không có quyền trả lời giấy mời thay đơn vị này."),
    )
    if response not in {
        InvitationResponse.ACCEPTED,
        InvitationResponse.DECLINED,
        InvitationResponse.DELEGATED,
    }:
        raise ValidationError(
            {"response": [_("Hãy chọn tham dự, không tham dự hoặc cử người dự thay.")]}
        )
    delegate_name = (delegate_name or "").strip()
    if response == InvitationResponse.DELEGATED and not delegate_name:
        raise ValidationError({"delegate_name": [_("Hãy ghi họ tên người dự thay.")]})
    if invitation.meeting.state not in LIVE_STATES:
        raise ValidationError(_("Chỉ trả lời giấy mời của cuộc họp đã xếp lịch, chưa kết thúc."))
    invitation.response = response
    invitation.delegate_name = delegate_name if response == InvitationResponse.DELEGATED else ""
    invitation.responded_at = timezone.now()
    invitation.save()
    audit.record(
        "meetings.invitation.respond",
        invitation,
        unit_id=invitation.unit_id,
        data={"meeting": invitation.meeting_id, "response": response, "delegate": delegate_name},
    )
    return invitation


def send_reminders(now=None) -> int:
    """Remind the invited one day and one hour before each scheduled meeting. The dedup key
    (meeting, start, kind, person) makes every reminder go out once, however often this runs
    and whatever worker restarts; a moved meeting gets fresh reminders for its new time."""
    now = now or timezone.now()
    upcoming = Meeting.objects.filter(
        state=MeetingState.SCHEDULED, start__gt=now, start__lte=now + dt.timedelta(days=1)
    ).select_related("chair", "host_unit")
    before = queued_count("meetings:remind:")
    for meeting in upcoming:
        kind = "hour" if meeting.start - now <= dt.timedelta(hours=1) else "day"
        stamp = int(meeting.start.timestamp())
        with transaction.atomic():
            for user, _unit in _recipients(meeting):
                notify(
                    user,
                    f"meetings.reminder_{kind}",
                    _context(meeting),
                    dedup_key=f"meetings:remind:{kind}:{meeting.pk}:{stamp}:{user.pk}",
                )
    return queued_count("meetings:remind:") - before
