"""Documents waiting for an official, for the inbox (``core.awaiting``).

A document waits for whoever the transition table says acts next for its organ: the leader who
approves, the signer chosen on the draft (or any signer when none was chosen), the clerk who
numbers and issues or registers and presents, the leader who assigns, and the official assigned
to handle an incoming document.
"""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.accounts import permissions
from congso.core.awaiting import Batch, Holder, Item
from congso.core.periods import end_of_day

from . import lifecycle
from .lifecycle import IncomingState as IN
from .lifecycle import OutgoingState as OUT
from .models import Direction, Document

#: (direction, state, the permission of the next action, what waits)
WAITING = [
    (Direction.OUTGOING, OUT.IN_REVIEW, lifecycle.APPROVE, _("Chờ duyệt")),
    (Direction.OUTGOING, OUT.APPROVED, lifecycle.SIGN, _("Chờ ký số")),
    (Direction.OUTGOING, OUT.SIGNED, lifecycle.ISSUE, _("Chờ cấp số, phát hành")),
    (Direction.INCOMING, IN.REGISTERED, lifecycle.REGISTER, _("Chờ trình lãnh đạo")),
    (Direction.INCOMING, IN.PRESENTED, lifecycle.ASSIGN, _("Chờ phân công xử lý")),
]
HANDLING = (IN.ASSIGNED, IN.HANDLING)
KINDS = {(direction, state): kind for direction, state, _p, kind in WAITING}
KINDS[(Direction.OUTGOING, OUT.DRAFT)] = _("Dự thảo trả lại để sửa")
PERMISSION = {(direction, state): permission for direction, state, permission, _k in WAITING}


def _condition(user) -> Q:
    condition = Q(direction=Direction.INCOMING, state__in=HANDLING, lead_user=user)
    for direction, state, permission, _kind in WAITING:
        organs = list(permissions.organs_for(user, permission).values_list("pk", flat=True))
        if not organs:
            continue
        waiting = Q(direction=direction, state=state, unit_id__in=organs)
        if state == OUT.APPROVED:
            waiting &= Q(signer=user) | Q(signer__isnull=True)
        condition |= waiting
    return condition


def _due(document: Document) -> dt.datetime | None:
    """An incoming document is due at the end of its handling day."""
    return end_of_day(document.due_on) if document.due_on else None


def item(document: Document) -> Item:
    kind = KINDS.get((document.direction, document.state), _("Chờ xử lý"))
    return Item(
        source="documents",
        kind=str(kind),
        title=document.subject,
        reference=document.notation or document.get_direction_display(),
        url=reverse("documents:detail", args=[document.pk]),
        due_at=_due(document),
        urgency=document.urgency,
        secrecy=document.get_secrecy_display() if document.secrecy else "",
        since=document.received_at or document.created_at,
    )


def awaiting(user, limit: int) -> Batch:
    if not user.is_authenticated:
        return Batch()
    documents = Document.objects.filter(_condition(user))
    count = documents.count()
    if not limit or not count:
        return Batch(count)
    pressing = documents.order_by("-urgency", "due_on", "created_at")[:limit]
    return Batch(count, [item(document) for document in pressing])


def holders(document: Document) -> list[Holder]:
    """Who ``document`` waits for now (the reverse of ``awaiting``): the step's "event →
    recipients" hook. The official assigned to handle it; the signer chosen on the draft; the
    drafter of a draft sent back; otherwise whoever acts for the organ in the next action."""
    if document.direction == Direction.INCOMING and document.state in HANDLING:
        return [Holder(document.lead_user)] if document.lead_user_id else []
    if document.direction == Direction.OUTGOING and document.state == OUT.DRAFT:
        return [Holder(document.created_by, str(_("người soạn")))] if document.created_by else []
    permission = PERMISSION.get((document.direction, document.state))
    if permission is None:
        return []
    found = permissions.holders(permission, document.unit)
    if document.state == OUT.APPROVED and document.signer_id:
        chosen = [holder for holder in found if holder.user.pk == document.signer_id]
        return chosen or [Holder(document.signer)]
    return found
