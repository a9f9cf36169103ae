"""Reorganisation of units (two tiers since 1 July 2025; Resolution 190/2025/QH15): a merged
unit's meetings not yet held, its invitations to them and its unfinished tasks continue at its
successor through the meetings app's own receivers of org's signals; a retirement dated before
a meeting the unit attended is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congso.accounts.models import Role
from congso.meetings.models import Attendance, Invitation
from congso.org.services import retire_unit


def test_upcoming_meetings_and_invitations_move_once(make_meeting, scheduled, tree, official_at):
    old, new = tree["commune_a"], tree["commune_b"]
    clerk = official_at(old, Role.CLERK)
    hosted = make_meeting(
        actor=clerk,
        chair=official_at(old, Role.LEADER),
        secretary=clerk,
        host_unit=old,
        units=[new],
        title="Giao ban xã A",
    )
    retire_unit(old, on=timezone.localdate(), successor=new)
    hosted.refresh_from_db()
    assert hosted.host_unit == new
    # the scheduled district meeting invited both: the successor's invitation stands, once
    assert list(scheduled.invitations.values_list("unit", flat=True)) == [new.pk]
    assert not Invitation.objects.filter(unit=old).exists()


def test_a_retirement_before_a_meeting_attended_is_refused(scheduled, tree):
    old = tree["commune_a"]
    Attendance.objects.create(meeting=scheduled, unit=old, status="present")
    before = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="cuộc họp sau ngày"):
        retire_unit(old, on=before, successor=tree["commune_b"])
