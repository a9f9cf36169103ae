"""Lifecycles of outgoing and incoming documents as transition tables on the one engine in
``core.lifecycle``: (state, transition) → (new state, permission).

``check`` is the one gate: the transition must be in the table from the current state **and** the
caller must act for the document's organ (``permissions.acts_for``: specialist drafts, leader approves, signs
and assigns, clerk numbers, issues and registers). Services call it before changing anything.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.accounts import permissions
from congso.core import lifecycle
from congso.core.lifecycle import TransitionRefused, row

__all__ = ["TransitionRefused"]


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

#: Actions that end or undo a document's course: offered behind a disclosure, never beside the
#: normal next step. Sending a draft back is the ordinary alternative: a secondary button.
RARE = ("cancel", "recall", "refuse", "agree_recall")
SECONDARY = ("return",)


def arrange(names: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(the one primary action, the secondary ones, the rare ones) among ``names``."""
    usual = [n for n in names if n not in RARE and n not in SECONDARY]
    secondary = usual[1:] + [n for n in names if n in SECONDARY]
    return usual[:1], secondary, [n for n in names if n in RARE]


def _may(permission, *, user=None, organ=None) -> bool:
    """Without an organ the table alone decides (the caller checks authority elsewhere)."""
    return organ is None or permissions.acts_for(user, permission, organ)


def _refused(label, permission, *, user=None, organ=None) -> str:
    return _("Bạn không có quyền “%(label)s” văn bản của %(organ)s.") % {
        "label": label,
        "organ": organ,
    }


def _machine(name, states, labels, rows, initial, final) -> lifecycle.Machine:
    return lifecycle.Machine(
        name,
        states,
        labels,
        rows,
        noun=_("văn bản"),
        initial=initial,
        final=final,
        may=_may,
        refused_who=_refused,
    )


#: Outgoing documents (Decree 30/2020/NĐ-CP): draft, review, signature, number and issue.
#: (from, transition, to, permission)
OUTGOING = _machine(
    "documents.outgoing",
    OutgoingState,
    OUTGOING_LABELS,
    [
        row(OUT.DRAFT, "submit", OUT.IN_REVIEW, DRAFT),
        row(OUT.DRAFT, "cancel", OUT.CANCELLED, DRAFT),
        row(OUT.IN_REVIEW, "approve", OUT.APPROVED, APPROVE),
        row(OUT.IN_REVIEW, "return", OUT.DRAFT, APPROVE),
        row(OUT.APPROVED, "sign", OUT.SIGNED, SIGN),
        row(OUT.APPROVED, "return", OUT.DRAFT, APPROVE),
        row(OUT.SIGNED, "issue", OUT.ISSUED, ISSUE),
        row(OUT.ISSUED, "recall", OUT.RECALLED, APPROVE),
    ],
    initial=OUT.DRAFT,
    final={OUT.RECALLED, OUT.CANCELLED},
)

#: Incoming documents (Decree 30/2020/NĐ-CP): register, present, assign, handle.
#: (from, transition, to, permission)
INCOMING = _machine(
    "documents.incoming",
    IncomingState,
    INCOMING_LABELS,
    [
        row(IN.REGISTERED, "present", IN.PRESENTED, REGISTER),
        row(IN.REGISTERED, "refuse", IN.REFUSED, REGISTER),
        row(IN.PRESENTED, "assign", IN.ASSIGNED, ASSIGN),
        row(IN.ASSIGNED, "start", IN.HANDLING, HANDLE),
        row(IN.ASSIGNED, "finish", IN.DONE, HANDLE),
        row(IN.HANDLING, "finish", IN.DONE, HANDLE),
        row(IN.REGISTERED, "agree_recall", IN.RECALLED, REGISTER),
        row(IN.PRESENTED, "agree_recall", IN.RECALLED, REGISTER),
        row(IN.ASSIGNED, "agree_recall", IN.RECALLED, REGISTER),
        row(IN.HANDLING, "agree_recall", IN.RECALLED, REGISTER),
    ],
    initial=IN.REGISTERED,
    final={IN.DONE, IN.REFUSED, IN.RECALLED},
)

MACHINES = {"outgoing": OUTGOING, "incoming": INCOMING}


def organ_units(organ) -> Q:
    """The organ and the offices directly inside it (a clerk sits in the office, not the
    committee, yet issues in the committee's name)."""
    from congso.org.choices import LOCALITY_KINDS

    return Q(pk=organ.pk) | (Q(parent_id=organ.pk) & ~Q(kind__in=LOCALITY_KINDS))


def check(machine: str, state: str, transition: str, *, user=None, organ=None) -> str:
    """The one gate: the new state when ``transition`` is allowed from ``state`` for ``user`` at
    ``organ``; otherwise ``TransitionRefused`` with a Vietnamese message."""
    return MACHINES[machine].check(state, transition, user=user, organ=organ).lands(state)


def allowed(machine: str, state: str, *, user=None, organ=None) -> list[str]:
    """Transitions the caller may apply now, in table order (buttons, API)."""
    return [r.name for r in MACHINES[machine].allowed(state, user=user, organ=organ)]
