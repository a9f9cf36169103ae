"""Lifecycles of outgoing and incoming documents as transition tables:
(state, transition) → (new state, permission).

``check`` is the one gate: the transition must be in the table from the current state **and** the
caller must act for the document's organ (``permissions.acts_for``: specialist drafts, leader approves, signs
and assigns, clerk numbers, issues and registers). Services call it before changing anything.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.accounts import permissions


class OutgoingState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    IN_REVIEW = "in_review", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt, chờ ký")
    SIGNED = "signed", _("Đã ký, chờ phát hành")
    ISSUED = "issued", _("Đã phát hành")
    RECALLED = "recalled", _("Đã thu hồi")
    CANCELLED = "cancelled", _("Đã huỷ")


class IncomingState(models.TextChoices):
    REGISTERED = "registered", _("Đã vào sổ")
    PRESENTED = "presented", _("Chờ lãnh đạo phân công")
    ASSIGNED = "assigned", _("Đã phân công")
    HANDLING = "handling", _("Đang xử lý")
    DONE = "done", _("Đã xử lý xong")
    REFUSED = "refused", _("Đã từ chối nhận")
    RECALLED = "recalled", _("Đã thu hồi theo đề nghị bên gửi")


DRAFT, APPROVE, SIGN, ISSUE = (
    "documents.draft",
    "documents.approve",
    "documents.sign",
    "documents.issue",
)
REGISTER, ASSIGN, HANDLE = "documents.register", "documents.assign", "documents.handle"
VIEW = "documents.view"

OUTGOING_LABELS = {
    "submit": _("Trình duyệt"),
    "return": _("Trả lại để sửa"),
    "approve": _("Duyệt"),
    "sign": _("Ký số"),
    "issue": _("Cấp số và phát hành"),
    "recall": _("Thu hồi"),
    "cancel": _("Huỷ dự thảo"),
}

INCOMING_LABELS = {
    "present": _("Trình lãnh đạo"),
    "refuse": _("Từ chối nhận"),
    "assign": _("Phân công xử lý"),
    "start": _("Bắt đầu xử lý"),
    "finish": _("Hoàn thành xử lý"),
    "agree_recall": _("Đồng ý thu hồi"),
}

OUT, IN = OutgoingState, IncomingState

OUTGOING: dict[tuple[str, str], tuple[str, str]] = {
    (OUT.DRAFT, "submit"): (OUT.IN_REVIEW, DRAFT),
    (OUT.DRAFT, "cancel"): (OUT.CANCELLED, DRAFT),
    (OUT.IN_REVIEW, "approve"): (OUT.APPROVED, APPROVE),
    (OUT.IN_REVIEW, "return"): (OUT.DRAFT, APPROVE),
    (OUT.APPROVED, "sign"): (OUT.SIGNED, SIGN),
    (OUT.APPROVED, "return"): (OUT.DRAFT, APPROVE),
    (OUT.SIGNED, "issue"): (OUT.ISSUED, ISSUE),
    (OUT.ISSUED, "recall"): (OUT.RECALLED, APPROVE),
}

INCOMING: dict[tuple[str, str], tuple[str, str]] = {
    (IN.REGISTERED, "present"): (IN.PRESENTED, REGISTER),
    (IN.REGISTERED, "refuse"): (IN.REFUSED, REGISTER),
    (IN.PRESENTED, "assign"): (IN.ASSIGNED, ASSIGN),
    (IN.ASSIGNED, "start"): (IN.HANDLING, HANDLE),
    (IN.ASSIGNED, "finish"): (IN.DONE, HANDLE),
    (IN.HANDLING, "finish"): (IN.DONE, HANDLE),
    (IN.REGISTERED, "agree_recall"): (IN.RECALLED, REGISTER),
    (IN.PRESENTED, "agree_recall"): (IN.RECALLED, REGISTER),
    (IN.ASSIGNED, "agree_recall"): (IN.RECALLED, REGISTER),
    (IN.HANDLING, "agree_recall"): (IN.RECALLED, REGISTER),
}

MACHINES = {
    "outgoing": (OUTGOING, OUTGOING_LABELS, OutgoingState),
    "incoming": (INCOMING, INCOMING_LABELS, IncomingState),
}


class TransitionRefused(Exception):
    """Raised with a Vietnamese message saying why."""


def organ_units(organ) -> Q:
    """The organ and the offices directly inside it (a clerk sits in the office, not the
    committee, yet issues in the committee's name)."""
    from congso.org.models import LOCALITY_KINDS

    return Q(pk=organ.pk) | (Q(parent_id=organ.pk) & ~Q(kind__in=LOCALITY_KINDS))


def check(machine: str, state: str, transition: str, *, user=None, organ=None) -> str:
    """The one gate: the new state when ``transition`` is allowed from ``state`` for ``user`` at
    ``organ``; otherwise ``TransitionRefused`` with a Vietnamese message."""
    table, labels, states = MACHINES[machine]
    if transition not in labels:
        raise TransitionRefused(_("Thao tác “%(name)s” không tồn tại.") % {"name": transition})
    entry = table.get((state, transition))
    if entry is None:
        raise TransitionRefused(
            _("Không thể “%(label)s” khi văn bản đang ở trạng thái “%(state)s”.")
            % {"label": labels[transition], "state": states(state).label}
        )
    target, permission = entry
    if organ is not None and not permissions.acts_for(user, permission, organ):
        raise TransitionRefused(
            _("Bạn không có quyền “%(label)s” văn bản của %(organ)s.")
            % {"label": labels[transition], "organ": organ}
        )
    return target


def allowed(machine: str, state: str, *, user=None, organ=None) -> list[str]:
    """Transitions the caller may apply now, in table order (buttons, API)."""
    table = MACHINES[machine][0]
    names = []
    for (source, name), (_target, permission) in table.items():
        if source == state and (organ is None or permissions.acts_for(user, permission, organ)):
            names.append(name)
    return names
