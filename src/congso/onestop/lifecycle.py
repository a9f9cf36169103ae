"""A dossier's lifecycle as one explicit transition table: (state, transition, role) → state,
run by the one engine in ``core.lifecycle``.

States map one-to-one to the national portal's status codes (Decree 118/2025/NĐ-CP on the one-stop
mechanism, Circular 04/2025/TT-VPCP data set; regulations §2). ``check`` is the only function that
decides whether a transition is allowed; services call it before any change.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.core import lifecycle
from congso.core.lifecycle import Row as Transition
from congso.core.lifecycle import TransitionRefused, row, stated_reason

__all__ = ["Transition", "TransitionRefused", "stated_reason"]


class State(models.TextChoices):
    NEW = "new", _("Mới, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    NOT_RECEIVED = "not_received", _("Từ chối tiếp nhận")
    PROCESSING = "processing", _("Đang giải quyết")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    PROCESSED = "processed", _("Đã giải quyết, chờ trả kết quả")
    RETURNED = "returned", _("Đã trả kết quả")


#: National portal status codes (Circular 04/2025/TT-VPCP data set; regulations §2).
NATIONAL_CODE = {
    State.NEW: 1,
    State.RECEIVED: 2,
    State.NOT_RECEIVED: 3,
    State.PROCESSING: 4,
    State.SUPPLEMENT_REQUESTED: 5,
    State.AWAITING_PAYMENT: 6,
    State.WITHDRAWN: 7,
    State.STOPPED: 8,
    State.PROCESSED: 9,
    State.RETURNED: 10,
}

FINAL_STATES = frozenset({State.NOT_RECEIVED, State.WITHDRAWN, State.STOPPED, State.RETURNED})
#: States in which the statutory clock does not run.
CLOCK_STOPPED = frozenset({State.NEW, State.SUPPLEMENT_REQUESTED, State.AWAITING_PAYMENT})


class Actor(models.TextChoices):
    """Who acts on a dossier: the official's role for this dossier, or the applicant."""

    DESK = "desk_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo phê duyệt")
    APPLICANT = "applicant", _("Người nộp hồ sơ")


#: The head or deputy head of an organ that answers for a late dossier — the one whose step is
#: running or the deciding one — whoever's step is active: only the apology (form 04) is theirs.
ORGAN_HEAD = "organ_head"

_WORKING = {State.RECEIVED, State.PROCESSING}
_OPEN = {
    State.NEW,
    State.RECEIVED,
    State.PROCESSING,
    State.SUPPLEMENT_REQUESTED,
    State.AWAITING_PAYMENT,
}


LABELS = {
    "accept": _("Tiếp nhận hồ sơ"),
    "refuse_intake": _("Từ chối tiếp nhận"),
    "start": _("Chuyển xử lý"),
    "forward": _("Chuyển bước tiếp theo"),
    "send_back": _("Trả lại bước trước"),
    "request_supplement": _("Yêu cầu bổ sung"),
    "supplement": _("Nộp bổ sung"),
    "request_payment": _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "confirm_payment": _("Xác nhận đã thực hiện nghĩa vụ tài chính"),
    "apologise": _("Xin lỗi và hẹn lại ngày trả"),
    "refuse": _("Từ chối giải quyết"),
    "withdraw": _("Rút hồ sơ"),
    "approve": _("Phê duyệt kết quả"),
    "return_result": _("Trả kết quả"),
}

S, A = State, Actor

#: (from, transition, to — ``None``: unchanged, who, one-stop form issued: Circular 03/2025 numbering;
#: reason: the prompt when the official or citizen must say why — Decree 118/2025 wants the
#: applicant told the reason for a refusal, a return, a supplement request and an apology)
DOSSIER = lifecycle.Machine(
    "onestop.dossier",
    State,
    LABELS,
    [
        row(S.NEW, "accept", S.RECEIVED, {A.DESK}, "01"),
        row(
            S.NEW,
            "refuse_intake",
            S.NOT_RECEIVED,
            {A.DESK},
            "03",
            reason=_("Nêu lý do từ chối tiếp nhận."),
        ),
        row(S.RECEIVED, "start", S.PROCESSING, {A.DESK}),
        row(S.PROCESSING, "forward", None, {A.SPECIALIST, A.LEADER}),
        row(S.PROCESSING, "send_back", None, {A.LEADER}, reason=_("Nêu lý do trả lại.")),
        row(
            _WORKING,
            "request_supplement",
            S.SUPPLEMENT_REQUESTED,
            {A.DESK, A.SPECIALIST},
            "02",
            reason=_("Nêu lý do yêu cầu bổ sung."),
        ),
        row(S.SUPPLEMENT_REQUESTED, "supplement", S.PROCESSING, {A.APPLICANT, A.DESK}),
        row(S.PROCESSING, "request_payment", S.AWAITING_PAYMENT, {A.SPECIALIST}),
        row(S.AWAITING_PAYMENT, "confirm_payment", S.PROCESSING, {A.DESK}),
        row(
            _OPEN - {S.NEW},
            "apologise",
            None,
            {ORGAN_HEAD},
            "04",
            reason=_("Nêu lý do chậm trễ."),
        ),
        row(
            _WORKING,
            "refuse",
            S.STOPPED,
            {A.LEADER},
            "03",
            reason=_("Nêu lý do từ chối giải quyết."),
        ),
        row(
            _OPEN,
            "withdraw",
            S.WITHDRAWN,
            {A.APPLICANT, A.DESK},
            "05",
            reason=_("Nêu lý do rút hồ sơ."),
        ),
        row(S.PROCESSING, "approve", S.PROCESSED, {A.LEADER}),
        row(S.PROCESSED, "return_result", S.RETURNED, {A.DESK}),
    ],
    noun=_("hồ sơ"),
    initial=S.NEW,
    final=FINAL_STATES,
    codes=NATIONAL_CODE,
    may=lambda who, *, actors: bool(who & set(actors)),
    refused_who=lambda label, who, **context: (
        _("Bạn không có vai trò được phép “%(label)s” đối với hồ sơ này.") % {"label": label}
    ),
)

#: Each transition by name (one row each here).
TRANSITIONS: dict[str, Transition] = {r.name: r for r in DOSSIER.rows}


def check(state: str, name: str, actors: set[str]) -> Transition:
    """The one gate: the transition exists, starts from ``state`` and one of ``actors`` may do it."""
    return DOSSIER.check(state, name, actors=actors)


def allowed(state: str, actors: set[str]) -> list[Transition]:
    return DOSSIER.allowed(state, actors=actors)


def target_of(state: str, transition: Transition) -> str:
    return transition.lands(state)
