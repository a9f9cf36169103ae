"""Telling officials about their work: when an item lands in their inbox, when it is due within
one working day, when it is late, and each morning a digest of what waits.

The apps know *who* holds an item after a step (their "event → recipients" hook, in their
services) and *what* the item is (a ``core.awaiting.Item``, the one their inbox provider builds);
they call ``tell`` in the step's transaction. This module decides *how*, from each official's
``Preference``, and queues through the outbox (``services.notify``: written with the step, sent
once, retried). The reminders and the digest read the items only through ``core.awaiting``, never
another app's tables, so a new app's items are reminded of as soon as it registers a provider.

Each (event, item, due instant or step, official) is told once: the outbox's dedup key holds it,
so the periodic job can run as often as it likes.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from congso.accounts import permissions
from congso.accounts.choices import Role
from congso.accounts.services import current_positions, officials
from congso.core import awaiting
from congso.worktime.services import one_working_day_after

from .models import Channel, Notification, Preference
from .services import notify

ARRIVED, DUE_SOON, LATE = "arrived", "due_soon", "late"
#: How many of an official's most pressing items the reminder job looks at each run.
SCAN_LIMIT = 200
#: How many items the digest lists (the count covers all).
DIGEST_ITEMS = 20
LEADERS = {Role.LEADER, Role.DEPUTY_LEADER}


def preference_of(user, stored: Preference | None = None) -> Preference:
    """The official's preference, or the defaults: e-mail and urgent SMS on, reminders on, the
    morning digest for leaders and deputies (they approve and sign what others prepare)."""
    found = stored or Preference.objects.filter(user=user).first()
    if found is not None:
        return found
    return Preference(user=user, digest=bool(permissions.held_roles(user) & LEADERS))


def is_urgent(item: awaiting.Item, event: str) -> bool:
    """SMS costs money and interrupts: only for "Khẩn" and above, and for late work."""
    return item.urgency >= awaiting.Urgency.URGENT or event == LATE


def channels_for(preference: Preference, item: awaiting.Item, event: str) -> list[str]:
    """In-app always (the bell); e-mail and SMS as the official chose."""
    chosen = [Channel.IN_APP]
    if preference.email:
        chosen.append(Channel.EMAIL)
    if preference.sms_urgent and is_urgent(item, event):
        chosen.append(Channel.SMS)
    return chosen


def _context(user, item: awaiting.Item) -> dict:
    return {
        "name": str(user),
        "kind": item.kind,
        "title": item.title,
        "reference": item.reference,
        "url": item.url,
        "due_at": item.due_at,
        "urgency": item.urgency_label,
        "secrecy": item.secrecy,
    }


def dedup_key(event: str, item: awaiting.Item, stamp: str, user) -> str:
    return f"work.{event}:{item.url}:{stamp}:{user.pk}"[:200]


def tell(users, item: awaiting.Item, event: str = ARRIVED, *, stamp: str = "", prefs=None) -> int:
    """Queue ``event`` about ``item`` for each official in ``users`` who has not been told yet;
    ``stamp`` tells one arrival from the next (the item's revision) or one due instant from
    another. Returns how many officials were told now."""
    told = 0
    for user in dict.fromkeys(users):
        if not user.is_active or not user.is_official:
            continue
        key = dedup_key(event, item, stamp, user)
        if Notification.objects.filter(dedup_key=key).exists():
            continue
        preference = preference_of(user, (prefs or {}).get(user.pk))
        if event != ARRIVED and not preference.due_reminders:
            continue
        channels = channels_for(preference, item, event)
        notify(user, f"work.{event}", _context(user, item), channels=channels, dedup_key=key)
        told += 1
    return told


def tell_holders(holders, item: awaiting.Item, *, stamp: str = "") -> int:
    """``tell`` the ``core.awaiting.Holder``s a step handed ``item`` to."""
    return tell([holder.user for holder in holders], item, ARRIVED, stamp=stamp)


def _officials():
    """Officials with a position in force, each once, with their stored preferences."""
    ids = set(current_positions(Role.values).values_list("user_id", flat=True))
    people = officials().filter(pk__in=ids, is_active=True).order_by("pk")
    prefs = Preference.objects.filter(user_id__in=ids).in_bulk(field_name="user_id")
    return people, prefs


def event_of(item: awaiting.Item, now: dt.datetime, soon: dt.datetime) -> str | None:
    """LATE past its due instant, DUE_SOON within one working day of it, else nothing."""
    if item.due_at is None:
        return None
    if item.due_at < now:
        return LATE
    return DUE_SOON if item.due_at <= soon else None


def remind(now: dt.datetime | None = None) -> int:
    """Tell every official of the items in their inbox that are late or due within one working
    day (Decree 61/2018 art. 19: the one-stop system alerts before and after the deadline), each
    (item, kind, due instant) once. Returns how many notices were queued."""
    now = now or timezone.now()
    people, prefs = _officials()
    told = 0
    for user in people:
        _total, items = awaiting.awaiting(user, limit=SCAN_LIMIT, now=now)
        positions = list(user.active_positions()[:1])
        soon = one_working_day_after(now, positions[0].unit if positions else None)
        with transaction.atomic():
            for item in items:
                event = event_of(item, now, soon)
                if event is not None:
                    stamp = f"{item.due_at:%Y%m%d%H%M}"
                    told += tell([user], item, event, stamp=stamp, prefs=prefs)
    return told


def send_digests(now: dt.datetime | None = None) -> int:
    """Each morning, one e-mail per official who wants it (leaders by default) listing what
    waits for them, late first; nothing when nothing waits. Once per official and day."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    people, prefs = _officials()
    sent = 0
    for user in people:
        if not user.email or not preference_of(user, prefs.get(user.pk)).digest:
            continue
        total, items = awaiting.awaiting(user, limit=DIGEST_ITEMS, now=now)
        if not total:
            continue
        late = [item for item in items if item.is_late(now)]
        context = {
            "name": str(user),
            "day": day,
            "total": total,
            "late": len(late),
            "items": [{**_context(user, item), "is_late": item.is_late(now)} for item in items],
            "url": reverse("inbox:mine"),
        }
        key = f"work.digest:{day:%Y%m%d}:{user.pk}"
        if not Notification.objects.filter(dedup_key=key).exists():
            notify(user, "work.digest", context, channels=[Channel.EMAIL], dedup_key=key)
            sent += 1
    return sent
