"""Daily warnings of dossiers due soon and overdue (issue 3, "Alerts").

Every open dossier whose clock runs (received, processing) is looked at once a day. For each
active step:

* the step's handlers — its assignee, or else the officials acting in the step's role at its
  unit — are warned when the step or the whole dossier is due within one working day or overdue;
* the unit's leaders are warned as well when the dossier itself is due soon or overdue, and the
  step is *escalated* to them when the step alone is overdue.

A dossier received but not yet started has no active step: the receiving desk is its handler.
A day that is not a working day at the step's unit sends nothing. One message per dossier per
recipient per day (the outbox's ``dedup_key``), so running the job twice sends nothing new.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts import services as accounts
from congso.accounts.choices import Role
from congso.notify.services import notify
from congso.worktime import deadlines
from congso.worktime.services import calendar_for

from .lifecycle import Actor, State
from .models import Dossier, Step, StepState

OVERDUE = "overdue"
DUE_SOON = "due_soon"
ALERTING_STATES = (State.RECEIVED, State.PROCESSING)
LEADER_ROLES = (Role.LEADER, Role.DEPUTY_LEADER)
ACTOR_ROLES = {
    Actor.DESK: (Role.DESK_OFFICER,),
    Actor.SPECIALIST: (Role.SPECIALIST,),
    Actor.LEADER: LEADER_ROLES,
}


def urgency(due: dt.datetime | None, now: dt.datetime, calendar) -> str | None:
    """``overdue`` once the due instant has passed, ``due_soon`` when it falls before the close
    of the next working day (within one working day), otherwise ``None``."""
    if due is None:
        return None
    if due < now:
        return OVERDUE
    if due <= deadlines.due_at(calendar, now, 1, "working_days"):
        return DUE_SOON
    return None


def _worse(*kinds: str | None) -> str | None:
    return OVERDUE if OVERDUE in kinds else (DUE_SOON if DUE_SOON in kinds else None)


def _chain_to_locality(unit) -> list:
    """The unit and the units above it up to its people's committee: an official positioned at
    the committee also acts for the offices inside it."""
    chain = [unit]
    while not chain[-1].is_locality and chain[-1].parent_id:
        chain.append(chain[-1].parent)
    return chain


def _officials(units, roles) -> list:
    positions = accounts.current_positions(roles, unit__in=units, user__is_active=True).order_by(
        "user_id"
    )
    return list({p.user_id: p.user for p in positions}.values())


def handlers(step: Step | None, dossier: Dossier) -> list:
    """Who must act now: the assignee, or everyone acting in the step's role at its unit."""
    if step is not None and step.assignee_id and step.assignee.is_active:
        return [step.assignee]
    unit = step.unit if step is not None else dossier.receiving_unit
    actor = step.actor if step is not None else Actor.DESK
    return _officials(_chain_to_locality(unit), ACTOR_ROLES[actor])


def leaders(unit) -> list:
    """The unit's leaders; an office without its own leader answers to its people's committee."""
    return _officials([unit], LEADER_ROLES) or _officials([unit.locality()], LEADER_ROLES)


@dataclass
class Alert:
    """What one recipient is told about one dossier today."""

    dossier: Dossier
    step: Step | None
    kind: str
    escalated: bool
    as_leader: bool


@dataclass
class Outcome:
    dossiers: int = 0
    alerts: int = 0
    recipients: set = field(default_factory=set)


def _step_alerts(dossier: Dossier, step: Step | None, now: dt.datetime) -> dict:
    """``{user: Alert}`` for one active step (or the desk of a dossier not yet started)."""
    unit = step.unit if step is not None else dossier.receiving_unit
    calendar = calendar_for(unit)
    if not deadlines.is_working_day(calendar, timezone.localtime(now).date()):
        return {}
    dossier_kind = urgency(dossier.due_at, now, calendar)
    step_kind = urgency(step.due_at, now, calendar) if step is not None else None
    kind = _worse(dossier_kind, step_kind)
    if kind is None:
        return {}
    escalated = step_kind == OVERDUE
    alerts = {}
    if dossier_kind or escalated:
        for user in leaders(unit):
            alerts[user] = Alert(dossier, step, kind, escalated, as_leader=True)
    for user in handlers(step, dossier):
        alerts[user] = Alert(dossier, step, kind, escalated, as_leader=False)
    return alerts


def alerts_for(dossier: Dossier, now: dt.datetime) -> dict:
    """Every recipient's alert about ``dossier``; a handler's own alert wins over a leader's."""
    steps = [s for s in dossier.steps.all() if s.state == StepState.ACTIVE] or [None]
    merged: dict = {}
    for step in steps:
        for user, alert in _step_alerts(dossier, step, now).items():
            if user not in merged or not alert.as_leader:
                merged[user] = alert
    return merged


def candidates(now: dt.datetime):
    """Open dossiers that could be due within a working day: a cheap filter (two weeks ahead,
    longer than any Tết break); ``urgency`` decides exactly with each unit's calendar."""
    horizon = now + dt.timedelta(days=14)
    active_due = Q(steps__state=StepState.ACTIVE, steps__due_at__lte=horizon)
    return (
        Dossier.objects.filter(state__in=ALERTING_STATES)
        .filter(Q(due_at__lte=horizon) | active_due)
        .distinct()
        .select_related("procedure", "receiving_unit", "current_unit")
        .prefetch_related("steps__unit", "steps__assignee")
        .order_by("due_at", "id")
    )


def _context(alert: Alert, user) -> dict:
    dossier, step = alert.dossier, alert.step
    return {
        "name": user.get_full_name(),
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "overdue": alert.kind == OVERDUE,
        "escalated": alert.escalated,
        "as_leader": alert.as_leader,
        "due_at": dossier.due_at,
        "step": step.name if step else _("Chờ chuyển xử lý"),
        "step_due_at": step.due_at if step else None,
        "unit": (step.unit if step else dossier.receiving_unit).name,
        "assignee": step.assignee.get_full_name() if step and step.assignee_id else "",
        "url": reverse("onestop:dossier", args=[dossier.code]),
    }


def send_due_alerts(now: dt.datetime | None = None) -> Outcome:
    """Queue today's alerts. Idempotent for the day: the dedup key names dossier, user, date."""
    now = now or timezone.now()
    today = timezone.localtime(now).date().isoformat()
    outcome = Outcome()
    for dossier in candidates(now).iterator(chunk_size=500):
        alerts = alerts_for(dossier, now)
        if alerts:
            outcome.dossiers += 1
        with transaction.atomic():
            for user, alert in alerts.items():
                notify(
                    user,
                    "onestop.alert",
                    _context(alert, user),
                    dedup_key=f"onestop-alert:{dossier.pk}:{user.pk}:{today}",
                )
                outcome.alerts += 1
                outcome.recipients.add(user.pk)
    return outcome
