"""The outbox to the national public-service portal, the reconciliation and the catalogue pull.

* ``collect`` queues, for every dossier changed since the last run (``sync.changed_since``: an
  event of its history or a fee settled), a new **revision** of its national record
  (``sync.national_record``, Circular 04/2025/TT-VPCP). The change window's end is kept on the
  rows, so the next run starts where this one stopped: nothing is queued twice, nothing missed.
* ``drain`` sends what is due, oldest first, each row leased so two workers never send it
  together; a failure is retried after 1, 2, 4 … minutes (at most an hour) up to
  ``CONGSO_PORTAL_SYNC_MAX_ATTEMPTS``, then marked failed. The portal keeps a (dossier code,
  revision) pair once, so a resend after a lost answer changes nothing there. The portal's
  answer is kept on the row: ``sent`` when it accepted the record (``error_code`` "00"),
  ``refused`` with its code and message otherwise — not retried as it is: the dossier's next
  change queues a new revision, sent again (``refused``).
* ``reconcile`` compares what the portal holds with what we hold.
* ``catalogue_changes`` compares the national procedure catalogue with ours.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone

from congso.catalog import services as catalog
from congso.core import outbox

from .. import signals, sync
from ..models import Dossier, PortalSyncMessage
from .base import SyncError
from .registry import get_sync

State = PortalSyncMessage.State
#: where the very first run starts: every dossier ever recorded goes to the portal once
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def collect(*, now: dt.datetime | None = None) -> int:
    """Queue a new revision of each dossier changed since the last run; how many were queued."""
    if get_sync() is None:
        return 0
    until = sync.whole_second(now or timezone.now())
    since = PortalSyncMessage.objects.aggregate(at=Max("collected_until"))["at"] or EPOCH
    if since >= until:
        return 0
    changed = sync.changed_since(since, until)
    ids = dict(changed.values_list("code", "pk"))
    records = sync.records(changed, now=until)
    revisions = dict(
        PortalSyncMessage.objects.filter(dossier_code__in=ids)
        .values("dossier_code")
        .annotate(last=Max("revision"))
        .values_list("dossier_code", "last")
    )
    rows = [
        PortalSyncMessage(
            dossier_id=ids[record["MaHoSo"]],
            dossier_code=record["MaHoSo"],
            revision=revisions.get(record["MaHoSo"], 0) + 1,
            record=record,
            collected_until=until,
        )
        for record in records
    ]
    try:
        with transaction.atomic():
            PortalSyncMessage.objects.bulk_create(rows)
    except IntegrityError:
        return 0  # another worker collected the same window first
    return len(rows)


def drain(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send what is due, oldest revision first (``core.outbox``); counts of ``sent``, ``retry``
    and ``failed``."""
    portal = get_sync()
    if portal is None:
        return {"sent": 0, "retry": 0, "failed": 0}
    now = now or timezone.now()

    def sent(message, answer):
        message.sent_at = message.answered_at = now
        message.answer_code, message.answer_message = answer.code, answer.message
        if not answer.accepted:
            message.state = State.REFUSED
        signals.portal_answered.send(sender=PortalSyncMessage, dossier=message.dossier)

    return outbox.drain(
        PortalSyncMessage.objects.all(),
        order=("dossier_code", "revision"),
        send=lambda m: portal.push(m.dossier_code, m.revision, m.record),
        error=SyncError,
        max_attempts=settings.CONGSO_PORTAL_SYNC_MAX_ATTEMPTS,
        now=now,
        limit=limit,
        sent=sent,
    )


def refused(limit: int = 100) -> list[PortalSyncMessage]:
    """The revisions the portal refused that are still the dossier's last answered one, newest
    first, with the portal's answer (the sync page lists them; the next change of the dossier
    queues a new revision, sent again)."""
    answered_later = PortalSyncMessage.objects.filter(
        dossier=OuterRef("dossier"), revision__gt=OuterRef("revision"), answered_at__isnull=False
    )
    rows = PortalSyncMessage.objects.filter(state=State.REFUSED).exclude(Exists(answered_later))
    return list(rows.order_by("-answered_at", "-pk")[:limit])


def outbox_counts() -> dict[str, int]:
    """How many revisions are pending, sent and failed."""
    rows = PortalSyncMessage.objects.values("state").annotate(n=Count("pk")).order_by()
    return {state: 0 for state in State.values} | {row["state"]: row["n"] for row in rows}


@dataclass
class Reconciliation:
    """What the portal holds against what we hold, dossier by dossier."""

    #: (code, our revision, our status, the portal's revision, the portal's status, problem)
    rows: list[tuple] = field(default_factory=list)
    matching: int = 0

    @property
    def problems(self) -> int:
        return len(self.rows)


MISSING = "missing"  # queued or sent here, not held there
BEHIND = "behind"  # the portal holds an older revision
STATUS = "status"  # same revision, another status (the portal's data was changed there)
UNKNOWN = "unknown"  # held there, unknown here


def reconcile() -> Reconciliation:
    """Compare the portal's holdings with our latest revision and the dossier's status now.
    Raises ``SyncError`` when the portal cannot be asked."""
    portal = get_sync()
    if portal is None:
        raise SyncError("CONGSO_PORTAL_SYNC is not set")
    held = portal.holdings()
    ours = {
        row["dossier_code"]: row["last"]
        for row in PortalSyncMessage.objects.values("dossier_code").annotate(last=Max("revision"))
    }
    status = {d.code: str(d.national_status) for d in Dossier.objects.filter(code__in=ours)}
    report = Reconciliation()
    for code in sorted(set(ours) | set(held)):
        theirs = held.get(code)
        mine = (ours.get(code), status.get(code))
        if code not in ours:
            report.rows.append((code, None, None, theirs.revision, theirs.status, UNKNOWN))
        elif theirs is None:
            report.rows.append((code, *mine, None, None, MISSING))
        elif theirs.revision < mine[0]:
            report.rows.append((code, *mine, theirs.revision, theirs.status, BEHIND))
        elif theirs.status != mine[1]:
            report.rows.append((code, *mine, theirs.revision, theirs.status, STATUS))
        else:
            report.matching += 1
    return report


@dataclass
class CatalogueChanges:
    new: list = field(default_factory=list)  # at the portal, not in our catalogue
    renamed: list = field(default_factory=list)  # (our procedure, the portal's name)
    absent: list = field(default_factory=list)  # ours, not in the national catalogue


def catalogue_changes() -> CatalogueChanges:
    """The national catalogue against ours, by procedure code. Raises ``SyncError``."""
    portal = get_sync()
    if portal is None:
        raise SyncError("CONGSO_PORTAL_SYNC is not set")
    national = {entry.code: entry for entry in portal.catalogue()}
    ours = {procedure.code: procedure for procedure in catalog.procedures()}
    return CatalogueChanges(
        new=[national[code] for code in sorted(set(national) - set(ours))],
        renamed=[
            (ours[code], national[code].name)
            for code in sorted(set(national) & set(ours))
            if national[code].name and national[code].name != ours[code].name
        ],
        absent=[ours[code] for code in sorted(set(ours) - set(national))],
    )


@transaction.atomic
def apply_renames(changes: CatalogueChanges) -> int:
    """Take the national catalogue's names for our procedures (through the catalogue's own
    service, which audits each change)."""
    for procedure, name in changes.renamed:
        catalog.update_procedure(procedure, name=name)
    return len(changes.renamed)
