"""A complaint's lifecycle as one explicit transition table on the one engine in
``core.lifecycle``: (state, action) → state.

``check`` is the one gate: services call it before changing anything. Each action belongs to one
side — the citizen who filed the complaint or the officials of the responsible unit — so the table
also says who may press which button; *which* official may act is a matter of permissions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.core import lifecycle
from congso.core.lifecycle import TransitionRefused, row

__all__ = ["TransitionRefused"]


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã kết thúc")
    WITHDRAWN = "withdrawn", _("Người gửi đã rút")
    REJECTED = "rejected", _("Không thuộc phạm vi xử lý")


class Side(models.TextChoices):
    CITIZEN = "citizen", _("Người gửi")
    OFFICIAL = "official", _("Cán bộ xử lý")


ACTIONS = {
    "assign": (_("Giao xử lý"), Side.OFFICIAL),
    "answer": (_("Trả lời"), Side.OFFICIAL),
    "reject": (_("Từ chối vì không thuộc phạm vi"), Side.OFFICIAL),
    "close": (_("Kết thúc"), Side.OFFICIAL),
    "withdraw": (_("Rút phản ánh, kiến nghị"), Side.CITIZEN),
    "evaluate": (_("Đánh giá kết quả trả lời"), Side.CITIZEN),
}

C = ComplaintState


#: Actions that must say why (Decree 20/2008/NĐ-CP Art. 13: a petition outside the unit's remit
#: is answered with the reason).
REASONS = {"reject": _("Hãy nêu lý do không thuộc phạm vi xử lý.")}


def _row(source: str, action: str, target: str):
    """A row whose side is the one the action belongs to."""
    return row(source, action, target, ACTIONS[action][1], reason=REASONS.get(action))


#: Petitions on administrative rules (Decree 20/2008/NĐ-CP): (from, action, to); the side comes
#: from ``ACTIONS``. Anything not listed is refused.
COMPLAINT = lifecycle.Machine(
    "feedback.complaint",
    ComplaintState,
    {action: label for action, (label, _side) in ACTIONS.items()},
    [
        _row(C.RECEIVED, "assign", C.ASSIGNED),
        _row(C.ASSIGNED, "assign", C.ASSIGNED),
        _row(C.RECEIVED, "answer", C.ANSWERED),
        _row(C.ASSIGNED, "answer", C.ANSWERED),
        _row(C.RECEIVED, "reject", C.REJECTED),
        _row(C.ASSIGNED, "reject", C.REJECTED),
        _row(C.RECEIVED, "withdraw", C.WITHDRAWN),
        _row(C.ASSIGNED, "withdraw", C.WITHDRAWN),
        _row(C.ANSWERED, "evaluate", C.CLOSED),
        _row(C.ANSWERED, "close", C.CLOSED),
    ],
    noun=_("phản ánh"),
    initial=C.RECEIVED,
    final={C.CLOSED, C.WITHDRAWN, C.REJECTED},
    may=lambda who, *, side: who == side,
    refused_who=lambda label, who, *, side: (
        _("Thao tác “%(label)s” dành cho %(side)s.") % {"label": label, "side": who.label}
    ),
)

#: States in which the unit still owes an answer (the deadline runs).
OPEN_STATES = frozenset({ComplaintState.RECEIVED, ComplaintState.ASSIGNED})


def check(state: str, action: str, side: str) -> str:
    """The one gate: the new state when ``side`` may do ``action`` from ``state``, else refused."""
    return COMPLAINT.check(state, action, side=side).lands(state)


def allowed(state: str, side: str) -> list[str]:
    """Actions ``side`` may do from ``state``, in table order (for the forms on a page)."""
    return [r.name for r in COMPLAINT.allowed(state, side=side)]
