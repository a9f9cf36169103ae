"""A dossier as an item of the inbox (``core.awaiting.Item``): the one shape the inbox lists and
a notification about the dossier carries."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.awaiting import Item

from .lifecycle import Actor, State

#: What a dossier waits for in each state (the names of the desk's queues).
WAITING = {
    State.NEW: _("Chờ tiếp nhận"),
    State.RECEIVED: _("Chờ chuyển xử lý"),
    State.PROCESSED: _("Chờ trả kết quả"),
    State.SUPPLEMENT_REQUESTED: _("Chờ bổ sung"),
}
#: What a processing dossier waits for at a step of each actor.
AT_STEP = {
    Actor.SPECIALIST: _("Chờ xử lý"),
    Actor.LEADER: _("Chờ phê duyệt"),
    Actor.DESK: _("Chờ chuyển xử lý"),
}


def item(dossier, kind) -> Item:
    return Item(
        source="onestop",
        kind=str(kind),
        title=dossier.procedure.name,
        reference=dossier.code,
        url=reverse("onestop:dossier", args=[dossier.code]),
        due_at=dossier.due_at,
        since=dossier.filed_at,
    )
