"""A dossier's lifecycle as one explicit transition table: (state, transition, role) → state.

States map one-to-one to the national portal's status codes (regulations §2). ``check`` is the
only function that decides whether a transition is allowed; services call it before any change.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


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


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (a hand-over, an apology)
    actors: frozenset[str]
    form: str | None = None  # the one-stop form issued (Circular 03/2025 numbering)


def _t(name, label, sources, target, actors, form=None) -> Transition:
    return Transition(name, label, frozenset(sources), target, frozenset(actors), form)


_WORKING = {State.RECEIVED, State.PROCESSING}
_OPEN = {
    State.NEW,
    State.RECEIVED,
    State.PROCESSING,
    State.SUPPLEMENT_REQUESTED,
    State.AWAITING_PAYMENT,
}

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("accept", _("Tiếp nhận hồ sơ"), {State.NEW}, State.RECEIVED, {Actor.DESK}, "01"),
        _t(
            "refuse_intake",
            _("Từ chối tiếp nhận"),
            {State.NEW},
            State.NOT_RECEIVED,
            {Actor.DESK},
            "03",
        ),
        _t("start", _("Chuyển xử lý"), {State.RECEIVED}, State.PROCESSING, {Actor.DESK}),
        _t(
            "forward",
            _("Chuyển bước tiếp theo"),
            {State.PROCESSING},
            None,
            {Actor.SPECIALIST, Actor.LEADER},
        ),
        _t("send_back", _("Trả lại bước trước"), {State.PROCESSING}, None, {Actor.LEADER}),
        _t(
            "request_supplement",
            _("Yêu cầu bổ sung"),
            _WORKING,
            State.SUPPLEMENT_REQUESTED,
            {Actor.DESK, Actor.SPECIALIST},
            "02",
        ),
        _t(
            "supplement",
            _("Nộp bổ sung"),
            {State.SUPPLEMENT_REQUESTED},
            State.PROCESSING,
            {Actor.APPLICANT, Actor.DESK},
        ),
        _t(
            "request_payment",
            _("Yêu cầu thực hiện nghĩa vụ tài chính"),
            {State.PROCESSING},
            State.AWAITING_PAYMENT,
            {Actor.SPECIALIST},
        ),
        _t(
            "confirm_payment",
            _("Xác nhận đã thực hiện nghĩa vụ tài chính"),
            {State.AWAITING_PAYMENT},
            State.PROCESSING,
            {Actor.DESK},
        ),
        _t(
            "apologise",
            _("Xin lỗi và hẹn lại ngày trả"),
            _WORKING | {State.AWAITING_PAYMENT},
            None,
            {Actor.LEADER},
            "04",
        ),
        _t("refuse", _("Từ chối giải quyết"), _WORKING, State.STOPPED, {Actor.LEADER}, "03"),
        _t("withdraw", _("Rút hồ sơ"), _OPEN, State.WITHDRAWN, {Actor.APPLICANT, Actor.DESK}, "05"),
        _t("approve", _("Phê duyệt kết quả"), {State.PROCESSING}, State.PROCESSED, {Actor.LEADER}),
        _t("return_result", _("Trả kết quả"), {State.PROCESSED}, State.RETURNED, {Actor.DESK}),
    ]
}


class TransitionRefused(Exception):
    """Raised with a Vietnamese message saying why."""


def check(state: str, name: str, actors: set[str]) -> Transition:
    """The one gate: the transition exists, starts from ``state`` and one of ``actors`` may do it."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionRefused(_("Thao tác “%(name)s” không tồn tại.") % {"name": name})
    if state not in transition.sources:
        raise TransitionRefused(
            _("Không thể “%(label)s” khi hồ sơ đang ở trạng thái “%(state)s”.")
            % {"label": transition.label, "state": State(state).label}
        )
    if not transition.actors & set(actors):
        raise TransitionRefused(
            _("Bạn không có vai trò được phép “%(label)s” đối với hồ sơ này.")
            % {"label": transition.label}
        )
    return transition


def allowed(state: str, actors: set[str]) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources and t.actors & set(actors)]


def target_of(state: str, transition: Transition) -> str:
    return transition.target or state
