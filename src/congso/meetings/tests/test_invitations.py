"""Invitations: e-mail with a valid .ics (REQUEST, TZID, attendees, join link), replies,
reminders exactly once, calendar feeds."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from congso.meetings import services
from congso.meetings.models import FeedToken
from congso.notify.models import Notification

pytestmark = pytest.mark.django_db


def _ics(row):
    attachment = row.attachments[0]
    import base64

    return Calendar.from_ical(base64.b64decode(attachment["base64"])), attachment


def test_scheduling_sends_email_with_ics_and_in_app(scheduled, people):
    mails = Notification.objects.filter(template="meetings.invitation", channel="email")
    assert set(mails.values_list("user_id", flat=True)) == {
        people["commune_a"].pk,
        people["commune_b"].pk,
        people["chair"].pk,
    }
    assert (
        Notification.objects.filter(template="meetings.invitation", channel="in_app").count() == 3
    )
    calendar, attachment = _ics(mails.get(user=people["commune_a"]))
    assert attachment["content_type"].startswith("text/calendar")
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]).startswith(f"meeting-{scheduled.pk}@")
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event["DTSTART"].dt == scheduled.start
    assert event["DTEND"].dt == scheduled.end
    assert str(event["LOCATION"]).endswith(f"/meetings/{scheduled.pk}/join/")
    assert str(event["ORGANIZER"]) == f"mailto:{people['chair'].email}"
    attendees = {str(a) for a in event.get("ATTENDEE")}
    assert f"mailto:{people['commune_a'].email}" in attendees
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Ho_Chi_Minh"


def test_scheduling_twice_is_refused_and_sends_nothing_more(scheduled, people):
    count = Notification.objects.count()
    with pytest.raises(ValidationError, match="Không thể"):
        services.transition(scheduled, actor=people["clerk"], action="schedule")
    assert Notification.objects.count() == count


def test_cancel_sends_method_cancel(scheduled, people):
    services.transition(scheduled, actor=people["clerk"], action="cancel")
    row = Notification.objects.filter(template="meetings.cancelled", channel="email").first()
    calendar, _attachment = _ics(row)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 1


def test_replies(scheduled, people, tree):
    invitation = scheduled.invitations.get(unit=tree["commune_a"])
    with pytest.raises(ValidationError, match="Hãy ghi họ tên người dự thay"):
        services.respond(invitation, actor=people["commune_a"], response="delegated")
    services.respond(
        invitation, actor=people["commune_a"], response="delegated", delegate_name="Võ Phó Chủ Tịch"
    )
    invitation.refresh_from_db()
    assert (invitation.response, invitation.delegate_name) == ("delegated", "Võ Phó Chủ Tịch")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.respond(invitation, actor=people["commune_b"], response="declined")


def test_reminders_once_each_even_when_run_again(scheduled):
    day_before = scheduled.start - dt.timedelta(hours=20)
    assert services.send_reminders(now=day_before) == 6  # 3 people × (e-mail + in-app)
    assert services.send_reminders(now=day_before + dt.timedelta(minutes=5)) == 0
    hour_before = scheduled.start - dt.timedelta(minutes=50)
    assert services.send_reminders(now=hour_before) == 6
    assert services.send_reminders(now=hour_before) == 0
    assert Notification.objects.filter(template="meetings.reminder_day").count() == 6
    assert Notification.objects.filter(template="meetings.reminder_hour").count() == 6
    assert services.send_reminders(now=scheduled.start - dt.timedelta(days=3)) == 0


def test_feeds_per_official_and_per_unit(scheduled, people, tree, client):
    mine = services.feed_token(user=people["commune_a"])
    unit = services.feed_token(unit=tree["commune_b"])
    for token in (mine, unit):
        answer = client.get(f"/meetings/feed/{token.token}.ics")
        assert answer.status_code == 200
        calendar = Calendar.from_ical(answer.content)
        assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [scheduled.title]
    outsider = services.feed_token(user=people["clerk"])
    assert client.get(f"/meetings/feed/{outsider.token}x.ics").status_code == 404
    old = mine.token
    services.renew_feed_token(mine)
    assert client.get(f"/meetings/feed/{old}.ics").status_code == 404
    assert FeedToken.objects.count() == 3
