"""A complaint's lifecycle as one explicit transition table: (state, action) → state.

``check`` is the one gate: services call it before changing anything. Each action belongs to one
side — the citizen who filed the complaint or the officials of the responsible unit — so the table
also says who may press which button; *which* official may act is a matter of permissions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

#: (state, action) → new state. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (ComplaintState.RECEIVED, "assign"): ComplaintState.ASSIGNED,
    (ComplaintState.ASSIGNED, "assign"): ComplaintState.ASSIGNED,
    (ComplaintState.RECEIVED, "answer"): ComplaintState.ANSWERED,
    (ComplaintState.ASSIGNED, "answer"): ComplaintState.ANSWERED,
    (ComplaintState.RECEIVED, "reject"): ComplaintState.REJECTED,
    (ComplaintState.ASSIGNED, "reject"): ComplaintState.REJECTED,
    (ComplaintState.RECEIVED, "withdraw"): ComplaintState.WITHDRAWN,
    (ComplaintState.ASSIGNED, "withdraw"): ComplaintState.WITHDRAWN,
    (ComplaintState.ANSWERED, "evaluate"): ComplaintState.CLOSED,
    (ComplaintState.ANSWERED, "close"): ComplaintState.CLOSED,
}

#: States in which the unit still owes an answer (the deadline runs).
OPEN_STATES = frozenset({ComplaintState.RECEIVED, ComplaintState.ASSIGNED})


class TransitionRefused(Exception):
    """Raised with a Vietnamese message saying why."""


def check(state: str, action: str, side: str) -> str:
    """The one gate: the new state when ``side`` may do ``action`` from ``state``, else refused."""
    if action not in ACTIONS:
        raise TransitionRefused(_("Thao tác “%(action)s” không tồn tại.") % {"action": action})
    label, owner = ACTIONS[action]
    if owner != side:
        raise TransitionRefused(
            _("Thao tác “%(label)s” dành cho %(side)s.") % {"label": label, "side": owner.label}
        )
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise TransitionRefused(
            _("Không thể “%(label)s” khi phản ánh đang ở trạng thái “%(state)s”.")
            % {"label": label, "state": ComplaintState(state).label}
        )
    return target


def allowed(state: str, side: str) -> list[str]:
    """Actions ``side`` may do from ``state``, in table order (for the forms on a page)."""
    return [
        action for (source, action) in TRANSITIONS if source == state and ACTIONS[action][1] == side
    ]
