"""iCalendar for invitations (METHOD:REQUEST, one event) and for calendar feeds (METHOD:PUBLISH).

Times carry ``TZID=Asia/Ho_Chi_Minh`` with the matching VTIMEZONE, so Outlook, Thunderbird and
phones show the local hour. The UID is stable per meeting and SEQUENCE grows with every change,
so a calendar updates the event it already has instead of adding a second one.
"""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Cong So//Giao ban truc tuyen//VI"


def uid_of(meeting) -> str:
    host = urlsplit(settings.PUBLIC_URL).hostname or "congso.local"
    return f"meeting-{meeting.pk}@{host}"


def _address(email: str, name: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _event(meeting, location: str, attendees) -> Event:
    zone = ZoneInfo(settings.TIME_ZONE)
    event = Event()
    event.add("uid", uid_of(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.start.astimezone(zone))
    event.add("dtend", meeting.end.astimezone(zone))
    event.add("summary", meeting.title)
    event.add("location", location)
    event.add("url", location)
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.state == "cancelled" else "CONFIRMED")
    agenda = "\n".join(
        f"{n}. {item.title}" + (f" ({item.presenter})" if item.presenter else "")
        for n, item in enumerate(meeting.agenda.all(), start=1)
    )
    event.add("description", f"Chủ trì: {meeting.chair}\n{agenda}".strip())
    chair = meeting.chair
    event.add("organizer", _address(chair.email or "no-reply@congso.local", str(chair)))
    for email, name in attendees:
        event.add(
            "attendee",
            _address(email, name, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="TRUE"),
        )
    return event


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def invitation(meeting, location: str, attendees: list[tuple[str, str]]) -> bytes:
    """One meeting as an invitation to ``attendees`` ((e-mail, name) pairs)."""
    calendar = _calendar("CANCEL" if meeting.state == "cancelled" else "REQUEST")
    calendar.add_component(_event(meeting, location, attendees))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed(meetings, location_of) -> bytes:
    """Many meetings for a subscribed calendar; ``location_of(meeting)`` gives each join link."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", "Lịch họp — Công Sở")
    for meeting in meetings:
        calendar.add_component(_event(meeting, location_of(meeting), []))
    calendar.add_missing_timezones()
    return calendar.to_ical()
