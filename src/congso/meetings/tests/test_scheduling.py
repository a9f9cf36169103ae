"""Scheduling: Vietnamese refusals with nothing saved, conflicts flagged, recurrence in one call,
all communes in one click, rights by unit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from congso.core.models import AuditRecord
from congso.meetings import services
from congso.meetings.models import Endpoint, Invitation, Meeting
from congso.org.services import communes_of
from congso.worktime.models import CalendarException, ExceptionKind

from .conftest import next_monday

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_draft_with_agenda_and_invitations(make_meeting, tree):
    meeting = make_meeting()
    assert meeting.state == "draft"
    assert [a.title for a in meeting.agenda.all()] == ["Tình hình tuần qua", "Chuyển đổi số"]
    assert set(meeting.invitations.values_list("unit_id", flat=True)) == {
        tree["commune_a"].pk,
        tree["commune_b"].pk,
    }
    assert meeting.video_room.startswith(f"congso-{tree['district'].pk}-")
    assert AuditRecord.objects.filter(
        action="meetings.meeting.create", object_id=str(meeting.pk)
    ).exists()


def test_end_before_start_is_refused(make_meeting):
    start = next_monday()
    with pytest.raises(ValidationError) as caught:
        make_meeting(start=start, end=start - dt.timedelta(minutes=30))
    assert "Giờ kết thúc phải sau giờ bắt đầu." in _messages(caught.value)
    assert not Meeting.objects.exists()


def test_meeting_in_the_past_is_refused(make_meeting):
    start = timezone.now() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        make_meeting(start=start)
    assert "thời điểm đã qua" in _messages(caught.value)
    assert not Meeting.objects.exists()


def test_unit_invited_twice_is_refused(make_meeting, tree):
    with pytest.raises(ValidationError) as caught:
        make_meeting(units=[tree["commune_a"], tree["commune_a"]])
    assert "Đơn vị “UBND xã A” được mời hai lần." in _messages(caught.value)
    assert not Meeting.objects.exists()


def test_inviting_an_invited_unit_again_is_refused(make_meeting, tree, people):
    meeting = make_meeting(units=[tree["commune_a"]])
    with pytest.raises(ValidationError, match="đã được mời"):
        services.invite_units(meeting, [tree["commune_a"]], actor=people["clerk"])
    services.invite_units(meeting, [tree["commune_b"]], actor=people["clerk"])
    assert Invitation.objects.filter(meeting=meeting).count() == 2


def test_chair_conflict_is_flagged_and_can_be_accepted(make_meeting):
    first = make_meeting()
    with pytest.raises(ValidationError) as caught:
        make_meeting(title="Họp khác", start=first.start + dt.timedelta(minutes=30))
    assert "Trùng lịch: Nguyễn Chủ Trì đã chủ trì cuộc họp “Giao ban trực tuyến tuần”" in _messages(
        caught.value
    )
    assert Meeting.objects.count() == 1
    make_meeting(
        title="Họp khác", start=first.start + dt.timedelta(minutes=30), accept_conflicts=True
    )
    assert Meeting.objects.count() == 2


def test_back_to_back_meetings_do_not_conflict(make_meeting):
    first = make_meeting()
    make_meeting(start=first.end)
    assert Meeting.objects.count() == 2


def test_host_room_conflict(make_meeting, tree, people, official_at):
    room = Endpoint.objects.create(unit=tree["district"], room="Hội trường tầng 3")
    first = make_meeting(room=room)
    other_chair = official_at(tree["district"], "deputy_leader", full_name="Phó Chủ Tịch")
    with pytest.raises(ValidationError) as caught:
        make_meeting(room=room, chair=other_chair, start=first.start + dt.timedelta(hours=1))
    assert "Trùng phòng: Hội trường tầng 3" in _messages(caught.value)


def test_cancelled_meeting_frees_the_slot(make_meeting, people):
    first = make_meeting()
    services.transition(first, actor=people["clerk"], action="cancel")
    make_meeting(start=first.start)


def test_commune_official_cannot_schedule_for_the_district(make_meeting, people):
    with pytest.raises(PermissionDenied):
        make_meeting(actor=people["commune_a"])


def test_weekly_briefing_for_ten_weeks_in_one_call(tree, people):
    start = next_monday()
    meetings, notes = services.schedule_recurring(
        weeks=10,
        actor=people["clerk"],
        host_unit=tree["district"],
        title="Giao ban thứ Hai",
        chair=people["chair"],
        start=start,
        end=start + dt.timedelta(hours=1, minutes=30),
        units=list(communes_of(tree["district"])),
    )
    assert len(meetings) + len(notes) == 10  # a Monday that is a holiday is skipped, and said
    assert len({m.series for m in meetings}) == 1
    first_day = timezone.localtime(start).date()
    for meeting in meetings:
        local = timezone.localtime(meeting.start)
        assert local.weekday() == 0 and (local.hour, local.minute) == (7, 30)
        assert (local.date() - first_day).days % 7 == 0
        assert meeting.state == "scheduled"
        assert meeting.invitations.count() == 2


def test_recurrence_skips_a_day_off_and_says_so(tree, people):
    start = next_monday()
    holiday = timezone.localtime(start).date() + dt.timedelta(weeks=1)
    CalendarException.objects.create(date=holiday, kind=ExceptionKind.DAY_OFF, reason="Nghỉ bù")
    from congso.worktime.services import invalidate_cache

    invalidate_cache()
    meetings, notes = services.schedule_recurring(
        weeks=3,
        actor=people["clerk"],
        host_unit=tree["district"],
        title="Giao ban",
        chair=people["chair"],
        start=start,
        end=start + dt.timedelta(hours=1),
        units=[tree["commune_a"]],
    )
    assert len(meetings) == 2
    assert notes == [f"Bỏ qua thứ Hai {holiday:%d/%m/%Y} vì là ngày nghỉ."]


def test_recurrence_with_one_conflict_saves_nothing(make_meeting, tree, people):
    start = next_monday(weeks_ahead=3)
    make_meeting(start=start, units=[tree["commune_b"]])
    first = next_monday()
    with pytest.raises(ValidationError) as caught:
        services.schedule_recurring(
            weeks=4,
            actor=people["clerk"],
            host_unit=tree["district"],
            title="Giao ban",
            chair=people["chair"],
            start=first,
            end=first + dt.timedelta(hours=1),
            units=[tree["commune_a"]],
        )
    assert f"{timezone.localtime(start):%d/%m/%Y}: Trùng lịch" in _messages(caught.value)
    assert Meeting.objects.count() == 1


def test_all_communes_of_the_district(tree):
    assert set(communes_of(tree["district"])) == {tree["commune_a"], tree["commune_b"]}


def test_edit_bumps_sequence_and_checks_times(scheduled, people):
    updated = services.update_meeting(scheduled, actor=people["clerk"], title="Giao ban (dời giờ)")
    assert updated.sequence == 1
    with pytest.raises(ValidationError, match="Giờ kết thúc phải sau giờ bắt đầu"):
        services.update_meeting(scheduled, actor=people["clerk"], end=scheduled.start)
    scheduled.refresh_from_db()
    assert scheduled.end > scheduled.start


def test_visibility_by_unit(scheduled, make_meeting, tree, people):
    other = make_meeting(units=[tree["commune_b"]], start=scheduled.end)
    assert set(services.visible_meetings(people["commune_a"])) == {scheduled}
    assert set(services.visible_meetings(people["commune_b"])) == {scheduled, other}
    assert set(services.visible_meetings(people["clerk"])) == {scheduled, other}
    assert set(services.visible_meetings(people["chair"])) == {scheduled, other}
