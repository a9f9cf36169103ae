"""The only code that changes dossiers. Every change: one transaction, the revision checked, the
transition table consulted, an event appended, the audit log written, the applicant notified."""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from congso.accounts import permissions
from congso.accounts.choices import Role
from congso.accounts.identity import normalise_phone, validate_id_number
from congso.catalog import services as catalog
from congso.core import audit, numbering
from congso.core.awaiting import Holder, Outcome, names
from congso.core.periods import local_midnight
from congso.core.prepared import PreparedQuery
from congso.core.text import fold
from congso.core.uploads import CheckedFile, check_content
from congso.notify import citizens, work
from congso.notify.services import notify
from congso.worktime import deadlines
from congso.worktime.services import calendar_for

from . import items, lifecycle, queue_counts, results, reuse, routing, signals, timeliness
from .lifecycle import NATIONAL_CODE, Actor, State
from .models import (
    ClockChange,
    DeclarationRevision,
    Dossier,
    DossierAccess,
    DossierDocument,
    Event,
    HandOver,
    Result,
    Step,
    StepKind,
    StepState,
    SupplementRequest,
)
from .rules import (
    MAX_COPIES,
    MAX_PAGES,
    Timeliness,
    classify_finished,
    code_counter_key,
    dossier_code,
    search_text,
)

#: Roles of the accounts app that act as each one-stop actor.
ACTOR_ROLES = {
    Actor.DESK: {Role.DESK_OFFICER},
    Actor.SPECIALIST: {Role.SPECIALIST},
    Actor.LEADER: {Role.LEADER, Role.DEPUTY_LEADER},
}


#: The permission each one-stop actor exercises (granted to the roles above in ``apps.ready``).
ACTOR_ACTIONS = {
    Actor.DESK: "onestop.receive",
    Actor.SPECIALIST: "onestop.process",
    Actor.LEADER: "onestop.approve",
}


class Conflict(Exception):
    """The dossier changed since the caller read it."""


# --- Who may see and act --------------------------------------------------------------------


def view_unit_ids(user) -> list[int]:
    """Ids of the units whose dossiers ``user`` may see, read once per request (every list,
    queue and count of the request reuses them as constants)."""
    cached = getattr(user, "_onestop_view_units", None)
    if cached is None:
        cached = user._onestop_view_units = permissions.acting_unit_ids(user, "onestop.view")
    return cached


def visible_dossiers(user):
    """Dossiers ``user`` may see: their own as applicant; as an official, those received by, sitting
    at, or with a step in a unit within their reach."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    if user.is_superuser:
        return Dossier.objects.all()
    # The unit ids are constants and the units' access rows are probed per dossier on their
    # (dossier, unit) index: a page read in (filed_at, id) order tests each row it meets and stops
    # after the page, however long the units' history. Built once per request (the desk page's
    # queues and counts each start from it) and handed out as a copy.
    cached = getattr(user, "_onestop_visible", None)
    if cached is None:
        # "or mine" only for an official who filed a dossier of their own
        applicant_id = user.pk if is_applicant(user) else None
        cached = user._onestop_visible = visible_to(view_unit_ids(user), applicant_id)
    return cached.all()


def visible_to(unit_ids: list[int], applicant_id: int | None = None):
    """The dossiers of ``unit_ids`` (their access rows), and those filed by ``applicant_id``: the
    rule of ``visible_dossiers`` as data, so that a query built on it is compiled once for every
    official (``queues.PreparedQueue``)."""
    seen = Q(pk__in=DossierAccess.objects.filter(unit_id__any=unit_ids).values("dossier_id"))
    if applicant_id is not None:
        seen |= Q(applicant_id=applicant_id)
    return Dossier.objects.filter(seen)


def sight(user) -> str:
    """How ``user`` sees dossiers, as the shape of a query compiled once for everyone who sees
    alike (``seen_as``): ``all`` (a superuser), ``own and units`` (one who filed a dossier of
    their own), ``units``."""
    if user.is_superuser:
        return "all"
    return "own and units" if is_applicant(user) else "units"


def seen_as(sight: str, unit_ids: list[int], user_id: int):
    """The dossiers seen with ``sight`` (``sight(user)``) by user ``user_id`` whose units are
    ``unit_ids``: the base of the queues' and the list's prepared queries."""
    if sight == "all":
        return Dossier.objects.all()
    return visible_to(unit_ids, user_id if sight == "own and units" else None)


def visible_dossier(user, code: str):
    """The dossiers coded ``code`` that ``user`` may see (at most one), for the pages and answers
    about one dossier: the same rule as ``visible_dossiers`` in a single query. Read by its code's
    index first, so "or mine" costs nothing here and the units are a sub-select, not a query of
    their own (a lookup by code is a few rows whatever the history)."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    found = Dossier.objects.filter(code=code)
    if user.is_superuser:
        return found
    units = permissions.acting_units(user, "onestop.view").values("pk")
    seen = Exists(DossierAccess.objects.filter(dossier_id=OuterRef("pk"), unit_id__in=units))
    return found.filter(seen | Q(applicant=user))


#: The detail answer's dossier by its code alone, with what the answer reads, and the units that
#: may see it (``DossierAccess``, a few rows): both built and compiled once (``core.prepared``).
_BY_CODE = PreparedQuery(
    lambda code: _answer_columns(Dossier.objects.filter(code=code)).order_by(),
    kinds=(str,),
    by_key=True,
)
_ACCESS = PreparedQuery(
    lambda dossier_id: (
        DossierAccess.objects.filter(dossier_id=dossier_id)
        .select_related("unit")
        .only("unit__id", "unit__path", "unit__kind")
    ),
    by_key=True,
)


def visible_with_plan(user, code: str) -> Dossier | None:
    """``visible_dossier``'s answer with what the detail answer reads (``_answer_columns``,
    ``read_plan``), or None. The dossier is read by its code, then ``visible_dossier``'s rule is
    applied to its access rows in Python (``permissions.may``, the rule ``acting_units`` puts in
    SQL, a test holds the two equal): the queries no longer depend on the user's positions, so
    they are compiled once, where compiling the one query of ``visible_dossier`` was a third of
    the answer's CPU (issue 16). The access rows are read whether the code exists or not."""
    if not user.is_authenticated:
        return None
    found = _BY_CODE.rows(code)
    dossier = found[0] if found else None
    units = [row.unit for row in _ACCESS.rows(dossier.pk if dossier else 0)]
    if dossier is None:
        return None
    seen = (
        user.is_superuser
        or dossier.applicant_id == user.pk
        or any(permissions.may(user, "onestop.view", unit) for unit in units)
    )
    return read_plan(dossier) if seen else None


def the_dossier(dossiers) -> Dossier | None:
    """The one dossier of ``visible_dossier``'s answer (with what the caller joined), or None.
    Read without ``ORDER BY``: the code is unique, and ordering one row costs PostgreSQL a sort
    and Django the matching of the ordering against every joined column (~0.5 ms of a detail
    answer, issue 16)."""
    return next(iter(dossiers.order_by()[:1]), None)


def is_applicant(user) -> bool:
    """Has ``user`` filed a dossier? Read once per request (a query compiled once, ``_FILED``).
    Only then is "or mine" added to the visibility condition: an ``OR`` beside the access
    sub-select makes PostgreSQL hash the sub-select (every access row of the units) instead of
    probing it row by row."""
    cached = getattr(user, "_onestop_is_applicant", None)
    if cached is None:
        cached = user._onestop_is_applicant = bool(_FILED.rows(user.pk))
    return cached


_FILED = PreparedQuery(
    lambda user_id: Dossier.objects.filter(applicant_id=user_id).order_by().values("pk")[:1],
    by_key=True,
)


def grant_access(dossier_ids: Iterable[int], unit_ids: Iterable[int]) -> None:
    """Let the officials of ``unit_ids`` see ``dossier_ids`` (``DossierAccess``), in the caller's
    transaction; rows already there are kept."""
    rows = [DossierAccess(dossier_id=d, unit_id=u) for d in set(dossier_ids) for u in set(unit_ids)]
    DossierAccess.objects.bulk_create(rows, ignore_conflicts=True)


def plan_steps():
    """A dossier's steps for a prefetch, with their units (and each unit's parent, for
    ``Unit.locality``) and assignees, in plan order. Ordered here by position: ``Step``'s own
    ordering starts with ``dossier``, which joins every step to its dossier to sort by the
    dossier's ordering — for one dossier's steps the same order, without the join (issue 16)."""
    return Step.objects.select_related("unit__parent", "assignee").order_by("position", "id")


#: What the detail answer and its rules read of a unit: its name, its place (``Unit.locality``,
#: ``permissions.acts_for``) and its hours (``worktime.calendar_for``).
UNIT_READ = ("id", "name", "kind", "parent", "path", "working_hours")


def _unread(relation: str, read: Iterable[str]) -> list[str]:
    """The columns of the dossier's ``relation`` (``a__b``) outside ``read``: left out of a wide
    join, they cost PostgreSQL and the ORM per column whoever reads them."""
    model = Dossier
    for name in relation.split("__"):
        model = model._meta.get_field(name).related_model
    return [f"{relation}__{f.name}" for f in model._meta.concrete_fields if f.name not in read]


def _answer_columns(dossiers):
    """``dossiers`` with what the detail answer's rules read (who may do what, is it late) joined
    in the same query: the procedure, the units (the receiving unit's parent, for
    ``Unit.locality``), the result. The plan's steps are read next (``read_plan``); the answer
    reads the hand-overs, history and documents itself, as plain rows
    (``serializers.dossier_detail``). Only the columns read are joined: every column costs the
    ORM and PostgreSQL, and joining the current unit's parent too made PostgreSQL plan an
    eight-table join (planning took longer than running it, issue 16)."""
    result = [
        "id",
        "dossier",
        "title",
        "sha256",
        "signed",
        "signed_file",
        "unsigned_reason",
        "generated",
    ]
    return dossiers.select_related(
        "procedure", "receiving_unit__parent", "current_unit", "result__signed_file"
    ).defer(
        "search_text",
        *_unread("procedure", ("id", "code", "name")),
        *_unread("receiving_unit", UNIT_READ),
        *_unread("receiving_unit__parent", UNIT_READ),
        *_unread("current_unit", ("id", "name")),
        *_unread("result", result),
        *_unread("result__signed_file", ("id", "sha256")),
    )


#: One dossier's plan (``plan_steps``), compiled once (``core.prepared``): the detail answer reads
#: it on every request.
_PLAN = PreparedQuery(lambda dossier_id: plan_steps().filter(dossier_id=dossier_id), by_key=True)


def read_plan(dossier: Dossier) -> Dossier:
    """Read ``dossier``'s plan into it as ``prefetch_related("steps")`` would (each step knowing
    its dossier; ``dossier.steps`` answering from it, ``prefetched_steps`` too), by a query built
    and compiled once."""
    steps = _PLAN.rows(dossier.pk)
    relation = Step._meta.get_field("dossier")
    for step in steps:
        relation.set_cached_value(step, dossier)
    cached = dossier.steps.all()  # the manager's queryset, its filter deferred: never compiled
    cached._result_cache, cached._prefetch_done = steps, True
    vars(dossier).setdefault("_prefetched_objects_cache", {})["steps"] = cached
    return dossier


def lookup_for_applicant(code: str, secret: str) -> Dossier | None:
    """The dossier ``code`` when ``secret`` is its applicant's personal ID number or phone.
    A wrong secret and an unknown code both give None, so the answer reveals nothing."""
    dossier = Dossier.objects.select_related("procedure").filter(code=code).first()
    if dossier is None:
        return None
    if secret.isdigit() and len(secret) == 12 and secret == dossier.applicant_id_number:
        return dossier
    try:
        phone = normalise_phone(secret)
    except ValidationError:
        return None
    return dossier if dossier.applicant_phone and phone == dossier.applicant_phone else None


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding a dossier's code and its applicant's ID or phone may learn (the public
    lookup, page and API): no personal data, no notes, no officials' names. Labels are read when
    shown, so one cached answer serves every language."""

    code: str
    procedure_name: str
    state: str
    filed_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    #: (transition, at) of each event, oldest first.
    events: tuple[tuple[str, dt.datetime], ...]

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    @property
    def national_status(self) -> int:
        return NATIONAL_CODE[State(self.state)]


#: Seconds a lookup's answer is kept, in the web process's memory (the ``local`` cache: no round
#: trip): a refreshing citizen or a portal polling costs a dictionary read, and a state change
#: shows within a minute.
LOOKUP_SECONDS = 60
_NOT_FOUND = "not-found"


def _lookup_key(code: str, secret: str) -> str:
    """The cache key of a lookup: an HMAC of code and proof, so the cache never holds the
    applicant's ID number or phone in clear (nor anything from which to test a guess offline)."""
    digest = salted_hmac("congso.onestop.lookup", f"{code}\0{secret}", algorithm="sha256")
    return f"onestop:lookup:{digest.hexdigest()}"


def public_status(code: str, secret: str, present: Callable[[PublicStatus], Any] | None = None):
    """``lookup_for_applicant``'s answer as ``PublicStatus`` — or as ``present(status)``, the
    API's serialized answer in the visitor's language — kept ``LOOKUP_SECONDS`` (a miss, the same
    answer for a wrong proof and an unknown code, too). The caller counts the attempt against the
    rate limit first: a cached answer is no way around it."""
    key = _lookup_key(code, secret)
    if present is not None:  # labels are in the answer: one per language
        key = f"{key}:{present.__qualname__}:{get_language()}"
    kept = caches["local"].get(key)
    if kept is not None:
        return None if kept == _NOT_FOUND else kept
    dossier = lookup_for_applicant(code, secret)
    answer = None if dossier is None else _public_status(dossier)
    if answer is not None and present is not None:
        answer = present(answer)
    caches["local"].set(key, _NOT_FOUND if answer is None else answer, LOOKUP_SECONDS)
    return answer


def _public_status(dossier: Dossier) -> PublicStatus:
    return PublicStatus(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        state=dossier.state,
        filed_at=dossier.filed_at,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        events=tuple(dossier.events.order_by("at", "id").values_list("transition", "at")),
    )


def _acts_at(user, actor: str, unit) -> bool:
    """Does ``user`` act as ``actor`` for ``unit``'s people's committee (``permissions.acts_for``)?
    A district leader oversees communes (they see their dossiers) but does not sign for them."""
    return permissions.acts_for(user, ACTOR_ACTIONS[actor], unit)


def prefetched_steps(dossier: Dossier) -> list[Step] | None:
    """The dossier's steps when the page or answer prefetched them (with their units), else None:
    the rules read them from there instead of asking the database again."""
    return getattr(dossier, "_prefetched_objects_cache", {}).get("steps")


def active_step(dossier: Dossier) -> Step | None:
    """The main step in progress; read from the prefetched steps when the page loaded them."""
    prefetched = prefetched_steps(dossier)
    if prefetched is not None:
        return next(
            (s for s in prefetched if s.state == StepState.ACTIVE and s.kind == StepKind.MAIN),
            None,
        )
    return dossier.steps.filter(state=StepState.ACTIVE, kind=StepKind.MAIN).first()


def actors_for(user, dossier: Dossier) -> set[str]:
    """The one-stop roles ``user`` holds for this dossier right now."""
    actors: set[str] = set()
    if not user.is_authenticated:
        return actors
    if dossier.applicant_id == user.pk:
        actors.add(Actor.APPLICANT)
    if _acts_at(user, Actor.DESK, dossier.receiving_unit):
        actors.add(Actor.DESK)
    step = active_step(dossier)
    if step is not None and step.actor in (Actor.SPECIALIST, Actor.LEADER):
        assigned_to_other = step.assignee_id not in (None, user.pk)
        if _acts_at(user, step.actor, step.unit) and not (
            assigned_to_other and step.actor == Actor.SPECIALIST
        ):
            actors.add(step.actor)
    if dossier.received_at is not None and any(
        _acts_at(user, Actor.LEADER, unit) for unit in _answering_units(dossier)
    ):
        actors.add(lifecycle.ORGAN_HEAD)
    return actors


def _answering_units(dossier: Dossier) -> list:
    """The agencies that answer for a late dossier (form 04): those whose step is running and
    the deciding agency (the unit of the plan's last leader step, else the receiving locality)."""
    prefetched = prefetched_steps(dossier)
    if prefetched is not None:  # the page's steps, with their units: no query
        steps = [s for s in prefetched if s.state == StepState.ACTIVE or s.actor == Actor.LEADER]
    else:
        steps = list(
            dossier.steps.select_related("unit").filter(
                Q(state=StepState.ACTIVE) | Q(actor=Actor.LEADER)
            )
        )
    units = [s.unit for s in steps if s.state == StepState.ACTIVE]
    deciding = [s for s in steps if s.actor == Actor.LEADER and s.kind == StepKind.MAIN]
    units.append(
        max(deciding, key=lambda s: s.position).unit if deciding else dossier.receiving_unit
    )
    return list({unit.pk: unit for unit in units}.values())


def allowed_transitions(user, dossier: Dossier) -> list[lifecycle.Transition]:
    actors = actors_for(user, dossier)
    return [
        t
        for t in lifecycle.allowed(dossier.state, actors)
        if _precondition(dossier, t, timezone.now()) is None
    ]


# --- Receiving ------------------------------------------------------------------------------


@dataclass
class ApplicantData:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    kind: str = "citizen"
    birth_date: dt.date | None = None
    sex: str = ""
    id_issued_on: dt.date | None = None


@dataclass
class ReceivedDocument:
    """A required document as received: ticked at the desk, or uploaded, or reused."""

    required_document_id: int | None
    name: str
    copy_kind: str = "original"
    count: int = 1
    file: CheckedFile | None = None
    reused: bool = False


@dataclass
class Intake:
    """What a dossier is filed with. Online, the server owns the applicant (the account), the
    exemption (never the citizen's) and the documents' files: see ``file_online``."""

    procedure_code: str
    unit_id: int
    applicant: ApplicantData | None = None
    documents: list[ReceivedDocument] = field(default_factory=list)
    result_delivery: str = "desk"
    form_data: dict = field(default_factory=dict)
    copies: int = 1
    pages: int = 0
    fee_exempt: bool = False
    #: Online, the person the account files for (a parent for a child, a representative): stated
    #: as such on the filing event; the applicant of record stays the account.
    on_behalf_of: str = ""


def _clean_applicant(data: ApplicantData) -> ApplicantData:
    errors = {}
    if not data.name.strip():
        errors["applicant_name"] = [_("Nhập họ tên người nộp hồ sơ.")]
    if data.id_number:
        try:
            data.id_number = validate_id_number(
                data.id_number, date_of_birth=data.birth_date, sex=data.sex or None
            )
        except ValidationError as exc:
            errors["applicant_id_number"] = exc.messages
    if data.phone:
        try:
            data.phone = normalise_phone(data.phone)
        except ValidationError as exc:
            errors["applicant_phone"] = exc.messages
    if not (data.id_number or data.phone or data.email):
        errors.setdefault("applicant_id_number", []).append(
            _("Cần ít nhất một trong: số định danh, số điện thoại, thư điện tử.")
        )
    if errors:
        raise ValidationError(errors)
    data.name = data.name.strip()
    return data


def _check_completeness(
    version, documents: list[ReceivedDocument], *, identity_proven: bool = False
) -> None:
    """Every mandatory document is there; the applicant's identity paper is not asked for when
    the account's identity came from VNeID (``catalog.services.is_identity_to_present``)."""
    received = {d.required_document_id for d in documents}
    missing = [
        doc.name
        for doc in version.documents.all()
        if doc.mandatory
        and not doc.is_declaration
        and doc.pk not in received
        and not (identity_proven and catalog.is_identity_to_present(doc))
    ]
    if missing:
        raise ValidationError(
            {
                "documents": [
                    _("Hồ sơ chưa đủ thành phần bắt buộc: %(names)s.")
                    % {"names": "; ".join(missing)}
                ]
            }
        )


def _check_files(documents: list[ReceivedDocument]) -> None:
    """Online there is no official to see the paper: a document counts only with its file (an
    upload, or one the platform itself holds, such as the citizen's data store)."""
    without = [d.name for d in documents if d.file is None]
    if without:
        raise ValidationError(
            {
                "documents": [
                    _("Giấy tờ chưa có tệp đính kèm: %(names)s.") % {"names": "; ".join(without)}
                ]
            }
        )


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def fee_for(
    version,
    channel: str,
    *,
    copies: int,
    pages: int,
    exempt: bool = False,
    form_data: dict | None = None,
) -> int:
    """The fee computed by the server from the procedure version. Copies and pages are the
    applicant's figures (the inputs of per-copy and per-page fees), checked here with field
    errors; ``exempt`` is decided by the caller (never the citizen: see ``file_online``). When
    the declaration lists the documents with their pages and copies (certified copies), the fee
    is counted on those lines instead."""
    if form_data and catalog.fee_exemption(version, channel, form_data, timezone.localdate()):
        return 0  # the procedure's own rule, proved by the declaration (e.g. birth on time)
    if form_data and catalog.declares_fee_items(version):
        try:
            return catalog.compute_declared_fee(version, channel, form_data, exempt=exempt)
        except ValidationError as exc:
            raise ValidationError({"form_data": exc.messages}) from exc
    errors = {}
    if not _whole(copies, 1, MAX_COPIES):
        errors["copies"] = [_("Số bản phải là số nguyên từ 1 đến %(max)s.") % {"max": MAX_COPIES}]
    if not _whole(pages, 0, MAX_PAGES):
        errors["pages"] = [_("Số trang phải là số nguyên từ 0 đến %(max)s.") % {"max": MAX_PAGES}]
    rule = version.channel(channel).fee
    if not errors and rule.get("kind") == "per_page" and pages < 1 and not exempt:
        errors["pages"] = [
            _("Thủ tục tính phí theo trang: nhập số trang của mỗi bản (từ 1 đến %(max)s).")
            % {"max": MAX_PAGES}
        ]
    if errors:
        raise ValidationError(errors)
    return catalog.compute_fee(version, channel, copies=copies, pages=pages, exempt=exempt)


def _load_procedure(intake: Intake, unit):
    procedure = catalog.procedures().filter(code=intake.procedure_code, is_active=True).first()
    if procedure is None:
        raise ValidationError(
            {
                "procedure": [
                    _("Không tìm thấy thủ tục mã %(code)s.") % {"code": intake.procedure_code}
                ]
            }
        )
    if not catalog.offers(procedure, unit):
        raise ValidationError(
            {
                "procedure": [
                    _("Đơn vị %(unit)s không giải quyết thủ tục “%(name)s”.")
                    % {"unit": unit.name, "name": procedure.name}
                ]
            }
        )
    try:
        version = catalog.version_in_force(procedure, timezone.now())
    except Exception as exc:  # noqa: BLE001 - no version in force is a user-facing refusal
        raise ValidationError(
            {"procedure": [_("Thủ tục chưa có phiên bản đang áp dụng.")]}
        ) from exc
    return procedure, version


def _new_code(unit, now: dt.datetime) -> str:
    locality = unit if unit.agency_id else unit.locality()
    day = timezone.localtime(now).date()
    sequence = numbering.next_value(code_counter_key(locality.agency_id, day))
    return dossier_code(locality.agency_id, day, sequence)


def _search_text(dossier: Dossier) -> str:
    return search_text(
        code=dossier.code,
        folded_name=fold(dossier.applicant_name),
        id_number=dossier.applicant_id_number,
        phone=dossier.applicant_phone,
        folded_procedure=fold(dossier.procedure.name),
    )


def _create(intake: Intake, *, channel: str, state: str, applicant_user, unit, now) -> Dossier:
    procedure, version = _load_procedure(intake, unit)
    applicant = _clean_applicant(intake.applicant or ApplicantData(name=""))
    proven = getattr(applicant_user, "id_proven_by", "") == "eid"
    _check_completeness(version, intake.documents, identity_proven=proven)
    if channel == "online":
        _check_files(intake.documents)
    fee = fee_for(
        version,
        channel,
        copies=intake.copies,
        pages=intake.pages,
        exempt=intake.fee_exempt,
        form_data=intake.form_data,
    )
    dossier = Dossier(
        code=_new_code(unit, now),
        procedure=procedure,
        version=version,
        receiving_unit=unit,
        current_unit=unit,
        state=state,
        channel=channel,
        applicant=applicant_user,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_birth_date=applicant.birth_date,
        applicant_sex=applicant.sex,
        applicant_id_issued_on=applicant.id_issued_on,
        form_data=intake.form_data,
        result_delivery=intake.result_delivery,
        fee_amount=fee,
        filed_at=now,
    )
    dossier.full_clean(
        exclude=[
            "search_text",
            "version",
            "procedure",
            "receiving_unit",
            "current_unit",
            "applicant",
        ]
    )
    dossier.search_text = _search_text(dossier)
    dossier.save()
    grant_access([dossier.pk], [unit.pk])
    for item in intake.documents:
        _attach(dossier, item)
    return dossier


def _attach(dossier: Dossier, item: ReceivedDocument, *, supplement: bool = False):
    document = DossierDocument(
        dossier=dossier,
        required_document_id=item.required_document_id,
        name=item.name,
        copy_kind=item.copy_kind,
        count=item.count,
        reused=item.reused,
        from_supplement=supplement,
    )
    if item.file is not None:
        document.file.save(
            f"{dossier.code}-{item.file.sha256[:12]}.{item.file.extension}",
            ContentFile(item.file.data),
            save=False,
        )
        document.sha256 = item.file.sha256
        document.content_type = item.file.content_type
        document.size = item.file.size
        document.digitised = True
    document.save()
    return document


def _resolve_unit(unit_id: int):
    from congso.org import services as org

    unit = org.units().active().filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError(
            {"unit": [_("Đơn vị tiếp nhận không tồn tại hoặc đã ngừng hoạt động.")]}
        )
    return unit


def receive_at_desk(officer, intake: Intake, *, now: dt.datetime | None = None) -> Dossier:
    """A desk officer receives a complete dossier: code, due date, plan, receipt, notice."""
    now = now or timezone.now()
    unit = _resolve_unit(intake.unit_id)
    if not _acts_at(officer, Actor.DESK, unit):
        raise PermissionDenied(_("Bạn không phải cán bộ một cửa của đơn vị này."))
    with transaction.atomic():
        dossier = _create(
            intake, channel="desk", state=State.RECEIVED, applicant_user=None, unit=unit, now=now
        )
        _mark_received(dossier, now)
        record_clock(dossier, now)
        # an exemption is the official's decision: recorded with who took it
        decision = {"fee_exempt": True} if intake.fee_exempt else None
        _event(dossier, officer, "receive", "", State.RECEIVED, now, data=decision)
        queue_counts.shift(Counter(), queue_counts.slots(dossier))
        _notify_applicant(dossier, _("Hồ sơ đã được tiếp nhận"))
    return dossier


def account_applicant(citizen) -> ApplicantData:
    """The applicant as the account knows them. Only a proven ID number is on an account
    (``id_number`` stays empty until VNeID or the desk proved it)."""
    return ApplicantData(
        name=citizen.get_full_name(),
        id_number=citizen.id_number or "",
        phone=citizen.phone or "",
        email=citizen.email or "",
        address=citizen.address or "",
    )


def file_online(citizen, intake: Intake, *, now: dt.datetime | None = None) -> Dossier:
    """A citizen files online: the dossier waits at the desk as *new* with its code.

    The one way in for the portal pages, the APIs and any import, so the server decides what it
    owns whatever the caller sent: the applicant is the account (only a proven ID number goes
    on the dossier: a number typed online proves nothing, and must not put a dossier, its lookup
    and its national-portal record under another person's identity), no exemption is taken from the
    citizen (the desk records an official's decision on exemption when it receives), the fee
    is computed from the version, and every document needs its file."""
    now = now or timezone.now()
    unit = _resolve_unit(intake.unit_id)
    intake = replace(intake, applicant=account_applicant(citizen), fee_exempt=False)
    with transaction.atomic():
        dossier = _create(
            intake, channel="online", state=State.NEW, applicant_user=citizen, unit=unit, now=now
        )
        on_behalf_of = intake.on_behalf_of.strip()[:200]
        _event(
            dossier,
            citizen,
            "file",
            "",
            State.NEW,
            now,
            data={"on_behalf_of": on_behalf_of} if on_behalf_of else None,
        )
        queue_counts.shift(Counter(), queue_counts.slots(dossier))
        _notify_applicant(dossier, _("Hồ sơ đã được nộp trực tuyến, chờ tiếp nhận"), important=True)
        tell_holders(dossier)
    return dossier


def _mark_received(dossier: Dossier, now: dt.datetime) -> None:
    terms = dossier.version.channel(dossier.channel)
    calendar = calendar_for(dossier.receiving_unit)
    dossier.received_at = now
    due = deadlines.due_at(calendar, now, terms.time_amount, terms.time_unit)
    # the instant given to the applicant: stored, never recomputed (a later change of the
    # calendar must not move it), and kept as the original beside any later one
    dossier.due_at = dossier.original_due_at = dossier.statutory_due_at = due
    dossier.save(update_fields=["received_at", "due_at", "original_due_at", "statutory_due_at"])
    _plan(dossier)


def record_clock(dossier: Dossier, now: dt.datetime, before: tuple | None = None) -> None:
    """Keep the clock's history: one ``ClockChange`` when the clock of a received dossier holds
    something other than ``before`` (its ``ClockChange.state`` before the change), in the
    caller's transaction. The one writer of the history — receipt and every transition go
    through here — so a past cut-off is judged by the clock as it stood then
    (``timeliness.as_at``)."""
    if dossier.received_at is not None and ClockChange.state(dossier) != before:
        ClockChange.of(dossier, now).save()


def _plan(dossier: Dossier) -> None:
    """Copy the procedure's steps into the dossier; the desk's intake step is done at receipt."""
    home = dossier.applicant.home_unit if dossier.applicant_id else None
    units = []
    for position, template in enumerate(dossier.version.steps.all(), start=1):
        unit = (
            dossier.receiving_unit
            if template.role == Actor.DESK
            else routing.resolve(
                template.responsible, receiving_unit=dossier.receiving_unit, applicant_home=home
            )
        )
        step = Step.objects.create(
            dossier=dossier,
            position=position,
            name=template.name,
            actor=template.role,
            unit=unit,
            amount=template.amount,
            time_unit=template.unit,
        )
        units.append(step.unit_id)
    grant_access([dossier.pk], units)
    first = dossier.steps.order_by("position").first()
    if first is not None and first.actor == Actor.DESK:
        first.state, first.started_at, first.finished_at = (
            StepState.DONE,
            dossier.filed_at,
            dossier.received_at,
        )
        first.save()


# --- Transitions ----------------------------------------------------------------------------


def _event(dossier, user, name, from_state, to_state, now, note="", data=None) -> Event:
    transaction.on_commit(
        lambda: signals.dossier_changed.send(
            sender=Dossier, dossier=dossier, transition=name, to_state=to_state
        )
    )
    event = Event.objects.create(
        dossier=dossier,
        transition=name,
        from_state=from_state,
        to_state=to_state,
        actor=user if getattr(user, "is_authenticated", False) else None,
        actor_name=user.get_full_name() if getattr(user, "is_authenticated", False) else "",
        at=now,
        note=note,
        data=data or {},
    )
    audit.record(
        f"onestop.{name}",
        dossier,
        unit_id=dossier.current_unit_id,
        data={"from": from_state, "to": to_state, "note": note, **(data or {})},
    )
    return event


#: Steps that ask something of the applicant or change their plans: told by SMS as well
#: (``notify.citizens``), the apology with its letter (form 04).
IMPORTANT_TO_APPLICANT = frozenset({"request_supplement", "approve", "apologise"})


def _notify_applicant(
    dossier: Dossier, event: str, note: str = "", *, important: bool = False, attachments=()
) -> None:
    """Tell the applicant what happened: in their account and by the channels they chose, or at
    the e-mail and phone they gave at the desk (``notify.citizens``). ``important`` adds SMS: the
    dossier code on filing, a supplement to bring, a result to collect, a late dossier's new date
    must reach the citizen even when they never open their mail."""
    context = {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "event": event,
        "state": str(State(dossier.state).label),
        "due_at": dossier.due_at,
        "applicant": dossier.applicant_name,
        "note": note,
        "url": f"/lookup/?code={dossier.code}",
    }
    if dossier.applicant_id:
        channels = citizens.channels_for(dossier.applicant, important=important)
        notify(dossier.applicant, "onestop.status", context, channels, attachments=attachments)
        return
    for address in citizens.addresses_for(
        dossier.applicant_email, dossier.applicant_phone, important=important
    ):
        notify(address, "onestop.status", context, attachments=attachments)


def _letters(dossier: Dossier, name: str) -> list[tuple[str, bytes, str]]:
    """The letter a step sends the applicant by e-mail: the apology and new date (form 04),
    sealed as the printed form is."""
    if name != "apologise":
        return []
    from . import printing

    letter = printing.sealed_form(dossier, "04")
    return [(f"phieu-xin-loi-{dossier.code}.pdf", letter, "application/pdf")]


def _prefetched_main_steps(dossier: Dossier) -> list[Step] | None:
    """The main steps in plan order when the page prefetched them (None otherwise)."""
    prefetched = prefetched_steps(dossier)
    if prefetched is None:
        return None
    main = [s for s in prefetched if s.kind == StepKind.MAIN]
    return sorted(main, key=lambda s: (s.position, s.pk))


def _next_main_step(dossier: Dossier, after: Step | None) -> Step | None:
    prefetched = _prefetched_main_steps(dossier)
    if prefetched is not None:
        later = [s for s in prefetched if after is None or s.position > after.position]
        return next((s for s in later if s.state != StepState.DONE), None)
    steps = dossier.steps.filter(kind=StepKind.MAIN).order_by("position")
    if after is not None:
        steps = steps.filter(position__gt=after.position)
    return steps.exclude(state=StepState.DONE).first()


def _has_previous_step(dossier: Dossier, step: Step | None) -> bool:
    """Is there a step before ``step`` (not the desk's) to send the dossier back to?"""
    before = step.position if step else 0
    prefetched = _prefetched_main_steps(dossier)
    if prefetched is not None:
        return any(s.position < before and s.actor != Actor.DESK for s in prefetched)
    previous = dossier.steps.filter(kind=StepKind.MAIN, position__lt=before)
    return previous.exclude(actor=Actor.DESK).exists()


def _precondition(
    dossier: Dossier, transition: lifecycle.Transition, now: dt.datetime | None = None
) -> str | None:
    """Why a transition allowed by the table cannot happen for this dossier now (or None)."""
    step = active_step(dossier)
    nxt = _next_main_step(dossier, step) if step is not None else None
    if transition.name == "forward" and (nxt is None or nxt.actor == Actor.DESK):
        return _("Đây là bước cuối cùng; lãnh đạo phê duyệt kết quả thay vì chuyển tiếp.")
    if transition.name == "approve" and nxt is not None and nxt.actor != Actor.DESK:
        return _("Hồ sơ còn bước xử lý phía sau; hãy chuyển tiếp trước khi phê duyệt.")
    if transition.name == "send_back" and not _has_previous_step(dossier, step):
        return _("Không có bước trước để trả lại.")
    if transition.name == "apologise":
        if dossier.rescheduled:
            return _("Hồ sơ đã được hẹn lại ngày trả một lần; không được hẹn lại lần nữa.")
        if not _late_or_due_soon(dossier, now or timezone.now()):
            return _(
                "Chỉ xin lỗi và hẹn lại khi hồ sơ đã quá hạn hoặc còn không quá một ngày làm việc."
            )
    return None


def transition(
    dossier: Dossier,
    name: str,
    *,
    actor,
    revision: int | None = None,
    now: dt.datetime | None = None,
    **payload,
) -> Dossier:
    """``advance`` for callers that need only the dossier."""
    return advance(dossier, name, actor=actor, revision=revision, now=now, **payload).subject


def advance(
    dossier: Dossier,
    name: str,
    *,
    actor,
    revision: int | None = None,
    now: dt.datetime | None = None,
    **payload,
) -> Outcome:
    """Apply transition ``name`` for ``actor`` and say what happened and who holds the dossier
    next. ``revision`` (what the caller saw) guards against two officials acting at the same
    moment: the second is told the dossier changed."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if revision is not None and locked.revision != revision:
            raise Conflict(
                _("Hồ sơ %(code)s vừa được người khác cập nhật; hãy tải lại trang.")
                % {"code": locked.code}
            )
        try:
            spec = lifecycle.check(locked.state, name, actors_for(actor, locked))
        except lifecycle.TransitionRefused as exc:
            raise PermissionDenied(str(exc)) from exc
        payload["note"] = lifecycle.stated_reason(spec, payload.get("note"))
        reason = _precondition(locked, spec, now)
        if reason:
            raise ValidationError(reason)
        from_state, queued = locked.state, queue_counts.slots(locked)
        clock = ClockChange.state(locked)
        data = EFFECTS[name](locked, actor, now, payload) or {}
        locked.state = lifecycle.target_of(from_state, spec)
        locked.revision += 1
        locked.search_text = _search_text(locked)
        locked.save()
        record_clock(locked, now, clock)
        queue_counts.shift(queued, queue_counts.slots(locked))
        _event(
            locked,
            actor,
            name,
            from_state,
            locked.state,
            now,
            note=payload.get("note", ""),
            data=data,
        )
        _notify_applicant(
            locked,
            str(spec.label),
            note=payload.get("note", ""),
            important=name in IMPORTANT_TO_APPLICANT,
            attachments=_letters(locked, name),
        )
        holders = tell_holders(locked, actor=actor)
        queue_counts.forget_live([getattr(actor, "pk", None), *(h.user.pk for h in holders)])
    return Outcome(_said(locked, name, spec, holders), tuple(holders), locked)


def next_holders(dossier: Dossier) -> list:
    """Who ``dossier`` waits for now (the reverse of the desk's queues): the step's "event →
    recipients" hook. The desk of the receiving unit before and after processing; at a step, its
    assignee, or whoever acts for the step's unit as its actor."""
    if dossier.state in (State.NEW, State.RECEIVED, State.PROCESSED):
        return permissions.holders(ACTOR_ACTIONS[Actor.DESK], dossier.receiving_unit)
    step = active_step(dossier) if dossier.state == State.PROCESSING else None
    if step is None or step.actor not in ACTOR_ACTIONS:
        return []
    found = permissions.holders(ACTOR_ACTIONS[step.actor], step.unit)
    if step.assignee_id:
        return [h for h in found if h.user.pk == step.assignee_id] or [Holder(step.assignee)]
    return found


def _waiting_kind(dossier: Dossier):
    step = active_step(dossier) if dossier.state == State.PROCESSING else None
    return items.AT_STEP.get(step.actor) if step else items.WAITING.get(dossier.state)


def tell_holders(dossier: Dossier, *, actor=None) -> list:
    """Notify whoever ``dossier`` now waits for (not the official who took the step)."""
    holders = next_holders(dossier)
    kind = _waiting_kind(dossier)
    others = [h for h in holders if actor is None or h.user.pk != actor.pk]
    if kind is not None and others:
        stamp = f"{dossier.state}:{dossier.revision}"
        work.tell_holders(others, items.item(dossier, kind), stamp=stamp)
    return holders


#: What a step says it did; ``%(holders)s`` names who holds the dossier next.
DONE = {
    "accept": _("Đã tiếp nhận hồ sơ %(code)s; hồ sơ chờ chuyển xử lý."),
    "start": _("Đã chuyển hồ sơ %(code)s cho %(holders)s %(task)s."),
    "forward": _("Đã chuyển hồ sơ %(code)s cho %(holders)s %(task)s."),
    "send_back": _("Đã trả hồ sơ %(code)s về %(holders)s %(task)s lại."),
    "approve": _("Đã phê duyệt hồ sơ %(code)s; chuyển %(holders)s trả kết quả."),
    "return_result": _("Đã trả kết quả hồ sơ %(code)s; hồ sơ đã hoàn thành."),
    "supplement": _("Đã nhận hồ sơ bổ sung %(code)s; chuyển %(holders)s %(task)s tiếp."),
    "request_supplement": _("Đã yêu cầu bổ sung hồ sơ %(code)s; người nộp đã được báo."),
}
#: What the next holder does at a step of each actor.
TASK = {Actor.SPECIALIST: _("xử lý"), Actor.LEADER: _("phê duyệt"), Actor.DESK: _("trả kết quả")}


def _said(dossier: Dossier, name: str, spec, holders: list) -> str:
    text = DONE.get(name)
    if text is None:
        return _("Đã thực hiện “%(label)s” hồ sơ %(code)s.") % {
            "label": spec.label,
            "code": dossier.code,
        }
    if "%(holders)s" in text and not holders:
        return _("Đã thực hiện “%(label)s” hồ sơ %(code)s. Chưa có cán bộ nhận bước tiếp theo.") % {
            "label": spec.label,
            "code": dossier.code,
        }
    step = active_step(dossier) if dossier.state == State.PROCESSING else None
    task = TASK.get(step.actor, "") if step else TASK[Actor.DESK]
    return text % {"code": dossier.code, "holders": names(holders), "task": task}


def _required(payload: dict, key: str, message: str) -> str:
    value = (
        (payload.get(key) or "").strip()
        if isinstance(payload.get(key, ""), str)
        else payload.get(key)
    )
    if not value:
        raise ValidationError({key: [message]})
    return value


def _step_due(dossier: Dossier, step: Step, start: dt.datetime) -> dt.datetime:
    """The step's due instant fitted inside the dossier's (``deadlines.step_due``): the last
    main step ends at the dossier's due instant, an earlier one leaves the later allotments."""
    calendar = calendar_for(step.unit)
    if dossier.due_at is None:
        return deadlines.due_at(calendar, start, step.amount, step.time_unit)
    reserved = dt.timedelta()  # a consultation ends inside the dossier's time
    if step.kind == StepKind.MAIN:
        later = dossier.steps.filter(kind=StepKind.MAIN, position__gt=step.position)
        allotments = [deadlines.allotment(calendar, s.amount, s.time_unit) for s in later]
        reserved = sum(allotments, dt.timedelta()) if allotments else None
    return deadlines.step_due(
        calendar, start, step.amount, step.time_unit, dossier_due=dossier.due_at, reserved=reserved
    )


def _activate(dossier: Dossier, step: Step, now, *, giver, from_unit, assignee=None, note=""):
    step.state, step.started_at = StepState.ACTIVE, now
    step.due_at = _step_due(dossier, step, now)
    if assignee is not None:
        step.assignee = assignee
    step.save()
    dossier.current_unit = step.unit
    grant_access([dossier.pk], [step.unit_id])  # a step re-routed since the plan
    HandOver.objects.create(
        dossier=dossier,
        step=step,
        from_user=giver,
        from_unit=from_unit,
        to_user=step.assignee,
        to_unit=step.unit,
        at=now,
        note=note,
    )


def _finish_step(step: Step, now, opinion: str = "") -> str:
    step.state, step.finished_at = StepState.DONE, now
    step.timeliness = classify_finished(now, step.due_at) if step.due_at else ""
    if opinion:
        step.opinion = opinion
    step.save()
    HandOver.objects.filter(step=step).order_by("-at", "-id").update(timeliness=step.timeliness)
    return step.timeliness


def _assignee(payload, step: Step):
    from congso.accounts import services as accounts

    assignee_id = payload.get("assignee")
    if not assignee_id:
        return None
    user = accounts.officials().filter(pk=assignee_id, is_active=True).first()
    if user is None or not _acts_at(user, step.actor, step.unit):
        raise ValidationError(
            {"assignee": [_("Người được giao không thuộc đơn vị xử lý bước này.")]}
        )
    return user


def _on_accept(dossier, user, now, payload):
    _mark_received(dossier, now)
    dossier.refresh_from_db(fields=["received_at", "due_at"])


def _on_refuse_intake(dossier, user, now, payload):
    dossier.finished_at = now


def _on_start(dossier, user, now, payload):
    step = _next_main_step(dossier, None)
    if step is None:
        raise ValidationError(_("Thủ tục chưa có quy trình xử lý."))
    _activate(
        dossier,
        step,
        now,
        giver=user,
        from_unit=dossier.receiving_unit,
        assignee=_assignee(payload, step),
        note=payload.get("note", ""),
    )


def _on_forward(dossier, user, now, payload):
    step = active_step(dossier)
    timeliness = _finish_step(step, now, payload.get("opinion", ""))
    nxt = _next_main_step(dossier, step)
    _activate(
        dossier,
        nxt,
        now,
        giver=user,
        from_unit=step.unit,
        assignee=_assignee(payload, nxt),
        note=payload.get("note", ""),
    )
    return {"step": step.name, "timeliness": timeliness, "to_unit": nxt.unit_id}


def _on_send_back(dossier, user, now, payload):
    step = active_step(dossier)
    previous = (
        dossier.steps.filter(kind=StepKind.MAIN, position__lt=step.position)
        .exclude(actor=Actor.DESK)
        .order_by("-position")
        .first()
    )
    step.state, step.started_at, step.due_at = StepState.PENDING, None, None
    step.save()
    _activate(dossier, previous, now, giver=user, from_unit=step.unit, note=payload["note"])
    return {"to_step": previous.name}


def _stop_clock(dossier, now) -> dict:
    """Stop the dossier's clock and its active steps' (they stand still with it): the working
    time left is kept (negative when already late). Returns what the history records."""
    if dossier.due_at:
        remaining = deadlines.working_time_between(
            calendar_for(dossier.receiving_unit), now, dossier.due_at
        )
        dossier.remaining_seconds = int(remaining.total_seconds())
    dossier.clock_stopped_at = now
    return {
        "clock": "stopped",
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
        "remaining_seconds": dossier.remaining_seconds,
    }


def _resume_clock(dossier, now, *, restart: bool) -> dict:
    """Start the clocks again: resume (the working time left is left again, the wait is not
    counted) or, where the procedure version says so, restart from the full time limit. The
    statutory due moves with it, the apology's date too; the original never moves."""
    stopped = dossier.clock_stopped_at
    if stopped is None:
        return {}
    calendar = calendar_for(dossier.receiving_unit)
    if restart:
        terms = dossier.version.channel(dossier.channel)
        due = deadlines.due_at(calendar, now, terms.time_amount, terms.time_unit)
        dossier.due_at = dossier.statutory_due_at = due
    elif dossier.due_at is not None:
        left = dt.timedelta(seconds=dossier.remaining_seconds or 0)
        dossier.due_at = deadlines.shift_working_time(calendar, now, left)
        if dossier.statutory_due_at is not None:
            dossier.statutory_due_at = deadlines.resumed_due(
                calendar, stopped, dossier.statutory_due_at, now
            )
    for step in dossier.steps.filter(state=StepState.ACTIVE):
        step_calendar = calendar_for(step.unit)
        if restart or step.due_at is None:
            step.due_at = _step_due(dossier, step, now)
        else:
            resumed = deadlines.resumed_due(step_calendar, stopped, step.due_at, now)
            step.due_at = min(resumed, _step_due(dossier, step, now)) if dossier.due_at else resumed
        step.save(update_fields=["due_at"])
    dossier.clock_stopped_at, dossier.remaining_seconds = None, None
    return {
        "clock": "restarted" if restart else "resumed",
        "stopped_at": stopped.isoformat(),
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
    }


def _on_request_supplement(dossier, user, now, payload):
    """Form 02. The desk guides the applicant completely, once (Decree 118/2025/NĐ-CP; Decree
    61/2018/NĐ-CP before it): a second request needs the reason the first was incomplete, and
    the dossier then counts as late in every figure (``supplement_count`` ≥ 2)."""
    items = [i.strip() for i in payload.get("items", []) if isinstance(i, str) and i.strip()]
    if not items:
        raise ValidationError({"items": [_("Liệt kê ít nhất một giấy tờ cần bổ sung, sửa đổi.")]})
    reason = payload["note"]
    repeat_reason = ""
    if dossier.supplement_count >= 1:
        repeat_reason = _required(
            payload,
            "repeat_reason",
            _(
                "Hồ sơ đã được yêu cầu bổ sung một lần; yêu cầu lần nữa phải nêu lý do chưa "
                "hướng dẫn đầy đủ ở lần trước (hồ sơ sẽ được tính là quá hạn)."
            ),
        )
    SupplementRequest.objects.create(
        dossier=dossier,
        items=items,
        reason=reason,
        repeat_reason=repeat_reason,
        requested_by=user,
        requested_at=now,
    )
    dossier.supplement_count += 1
    data = {
        "items": items,
        "supplement_number": dossier.supplement_count,
        **_stop_clock(dossier, now),
    }
    if repeat_reason:
        data["repeat_reason"] = repeat_reason
    return data


def _on_supplement(dossier, user, now, payload):
    request = dossier.supplements.filter(answered_at__isnull=True).last()
    files = payload.get("documents") or []
    if not files:
        raise ValidationError({"documents": [_("Đính kèm giấy tờ bổ sung.")]})
    for item in files:
        _attach(dossier, item, supplement=True)
    if request is not None:
        request.answered_at = now
        request.save(update_fields=["answered_at"])
    clock = _resume_clock(dossier, now, restart=dossier.version.supplement_restarts_clock)
    if dossier.received_at is None:
        return None
    if active_step(dossier) is None:
        _on_start(dossier, user, now, {})
    return {"documents": len(files), **clock}


def _on_request_payment(dossier, user, now, payload):
    _required(payload, "note", _("Nêu khoản nghĩa vụ tài chính cần thực hiện."))
    return _stop_clock(dossier, now)


def _on_confirm_payment(dossier, user, now, payload):
    return _resume_clock(dossier, now, restart=False)


def _late_or_due_soon(dossier: Dossier, now: dt.datetime) -> bool:
    """Late, or due within one working day (``deadlines.due_soon``): the dossier or its active
    step. While the clock stands still, by the working time that was left at the stop."""
    calendar = calendar_for(dossier.receiving_unit)
    if dossier.clock_stopped_at is not None:
        left = dossier.remaining_seconds
        return left is not None and dt.timedelta(seconds=left) <= calendar.day_length
    if dossier.due_at is not None and deadlines.due_soon(calendar, now, dossier.due_at):
        return True
    return any(
        deadlines.due_soon(calendar_for(step.unit), now, step.due_at)
        for step in _running_steps_with_due_date(dossier)
    )


def _running_steps_with_due_date(dossier: Dossier):
    """The active steps that have a due date: from the prefetched steps when there are some (the
    detail answer asks this of every dossier it shows: no query), else one query with the units
    (``calendar_for`` reads each step's unit)."""
    prefetched = prefetched_steps(dossier)
    if prefetched is not None:
        return [s for s in prefetched if s.state == StepState.ACTIVE and s.due_at is not None]
    steps = dossier.steps.select_related("unit")
    return steps.filter(state=StepState.ACTIVE, due_at__isnull=False)


def _on_apologise(dossier, user, now, payload):
    """Form 04 (Circular 01/2018/TT-VPCP): the agency whose step is late, or the deciding
    agency, apologises and sets a new date, once. The new date is recorded beside the original
    (``original_due_at`` and ``statutory_due_at`` do not move: timeliness is still judged
    against them); ``due_at`` becomes the new date the applicant is given."""
    reason = payload["note"]
    new_due = payload.get("new_due_at")
    floor = max(filter(None, [dossier.due_at, now]))
    if not isinstance(new_due, dt.datetime) or new_due <= floor:
        raise ValidationError(
            {"new_due_at": [_("Ngày hẹn mới phải sau ngày hẹn hiện tại và sau thời điểm này.")]}
        )
    previous = dossier.due_at
    dossier.due_at = dossier.apology_due_at = new_due
    dossier.apologised_at, dossier.rescheduled = now, True
    if dossier.clock_stopped_at is not None:
        left = deadlines.working_time_between(
            calendar_for(dossier.receiving_unit), dossier.clock_stopped_at, new_due
        )
        dossier.remaining_seconds = int(left.total_seconds())
    return {
        "reason": reason,
        "original_due_at": dossier.original_due_at.isoformat() if dossier.original_due_at else None,
        "previous_due_at": previous.isoformat() if previous else None,
        "new_due_at": new_due.isoformat(),
    }


def _on_end(dossier, user, now, payload):
    dossier.finished_at = now
    step = active_step(dossier)
    if step is not None:
        _finish_step(step, now)


def finished_timeliness(dossier: Dossier, finished_at: dt.datetime) -> str:
    """Early / on time / late as ``timeliness`` classes a dossier ended at ``finished_at``:
    against the statutory due instant (never the apology's date), late whatever the date after
    a second supplement request (Decree 118/2025/NĐ-CP)."""
    clock = replace(timeliness.clock_of(dossier), finished_at=finished_at)
    return Timeliness(timeliness.finished_class(clock).value)


def _on_approve(dossier, user, now, payload):
    step = active_step(dossier)
    _finish_step(step, now, payload.get("opinion", ""))
    dossier.finished_at = now
    dossier.timeliness = finished_timeliness(dossier, now)
    nxt = _next_main_step(dossier, step)
    if nxt is not None:
        _activate(dossier, nxt, now, giver=user, from_unit=step.unit)
    result = results.issue(dossier, user, when=now, seen=payload.get("draft_sha256"))
    return {
        "timeliness": dossier.timeliness,
        "result_signed": result.signed,
        "register": result.register,
    }


def _on_return(dossier, user, now, payload):
    results.check_available(dossier)
    delivery = dossier.result_delivery
    if delivery == "desk":
        dossier.returned_to = _required(
            payload, "returned_to", _("Nhập họ tên người nhận kết quả.")
        )
        if not payload.get("id_checked"):
            raise ValidationError({"id_checked": [_("Xác nhận đã kiểm tra giấy tờ tùy thân.")]})
    elif delivery == "post":
        dossier.post_tracking = _required(payload, "post_tracking", _("Nhập số vận đơn bưu chính."))
    dossier.returned_at = now
    step = active_step(dossier)
    if step is not None:
        _finish_step(step, now)
    return {"delivery": delivery}


EFFECTS = {
    "accept": _on_accept,
    "refuse_intake": _on_refuse_intake,
    "start": _on_start,
    "forward": _on_forward,
    "send_back": _on_send_back,
    "request_supplement": _on_request_supplement,
    "supplement": _on_supplement,
    "request_payment": _on_request_payment,
    "confirm_payment": _on_confirm_payment,
    "apologise": _on_apologise,
    "refuse": _on_end,
    "withdraw": _on_end,
    "approve": _on_approve,
    "return_result": _on_return,
}


@transaction.atomic
def attach_result(dossier: Dossier, *, actor, title: str, file: CheckedFile) -> Result:
    """The specialist at the active step attaches the draft result (a PDF)."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.state != State.PROCESSING or not (
        actors_for(actor, locked) & {Actor.SPECIALIST, Actor.LEADER}
    ):
        raise PermissionDenied(_("Chỉ người đang xử lý hồ sơ mới được đính kèm kết quả."))
    if file.content_type != "application/pdf":
        raise ValidationError({"file": [_("Kết quả phải là tệp PDF.")]})
    result, _created = Result.objects.get_or_create(
        dossier=locked, defaults={"title": title, "sha256": file.sha256, "created_by": actor}
    )
    result.title, result.sha256, result.signed = title, file.sha256, False
    result.file.save(f"{locked.code}-ket-qua.pdf", ContentFile(file.data), save=False)
    result.save()
    locked.revision += 1
    locked.save(update_fields=["revision"])
    audit.record(
        "onestop.attach_result",
        locked,
        unit_id=locked.current_unit_id,
        data={"sha256": file.sha256, "title": title},
    )
    return result


# --- Reorganisation of units (org's ``unit_retiring`` / ``unit_merged`` hooks) -----------------


def refuse_retirement_with_later_activity(sender, *, unit, successor, on, **kwargs) -> None:
    """A unit cannot end on a day before dossiers it received or handled afterwards."""
    after = local_midnight(on + dt.timedelta(days=1))
    later = (
        Dossier.objects.filter(receiving_unit=unit, filed_at__gte=after).exists()
        or HandOver.objects.filter(Q(to_unit=unit) | Q(from_unit=unit), at__gte=after).exists()
    )
    if later:
        raise ValidationError(
            _(
                "Đơn vị còn tiếp nhận hoặc xử lý hồ sơ sau ngày %(day)s; không thể cho hết hiệu "
                "lực từ ngày đó."
            )
            % {"day": on.strftime("%d/%m/%Y")}
        )


def move_to_successor(sender, *, unit, successor, on, **kwargs) -> dict:
    """A merged unit's open dossiers continue at its successor: where they are received and
    sit, and the steps not yet done. Codes, events and the control sheet keep the old unit
    (the history is what happened)."""
    open_dossiers = Dossier.objects.exclude(state__in=lifecycle.FINAL_STATES)
    touched = open_dossiers.filter(
        Q(receiving_unit=unit) | Q(current_unit=unit) | Q(steps__unit=unit)
    ).values_list("pk", flat=True)
    grant_access(list(touched), [successor.pk])
    moved = {
        "received": open_dossiers.filter(receiving_unit=unit).update(receiving_unit=successor),
        "current": open_dossiers.filter(current_unit=unit).update(current_unit=successor),
        "steps": Step.objects.filter(
            unit=unit, dossier__in=open_dossiers, state__in=[StepState.PENDING, StepState.ACTIVE]
        ).update(unit=successor),
    }
    queue_counts.reconcile()  # the queues of both units, moved in bulk
    audit.record(
        "onestop.reorganise",
        unit,
        unit_id=successor.pk,
        data={"successor": successor.pk, "on": on, **moved},
    )
    return moved


# --- The declaration entered or corrected at the desk ---------------------------------------

#: States in which the desk may still enter or correct the declaration (before the decision).
DECLARATION_OPEN = {
    State.NEW,
    State.RECEIVED,
    State.PROCESSING,
    State.SUPPLEMENT_REQUESTED,
    State.AWAITING_PAYMENT,
}


def may_correct_declaration(user, dossier: Dossier) -> bool:
    """The receiving unit's desk, while the dossier is open and its procedure has a form."""
    return (
        dossier.state in DECLARATION_OPEN
        and bool(dossier.version.form_schema)
        and _acts_at(user, Actor.DESK, dossier.receiving_unit)
    )


def correct_declaration(
    dossier: Dossier,
    officer,
    data: dict,
    *,
    reason: str,
    revision: int | None = None,
    now: dt.datetime | None = None,
) -> DeclarationRevision:
    """The desk enters a walk-in applicant's declaration, or corrects one: checked against the
    procedure's form, kept as a revision (who, when, why, before and after), so the declaration
    the citizen filed is never lost. A correction needs its reason; a first entry of a desk
    dossier is its own reason."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("version").get(pk=dossier.pk)
        if revision is not None and locked.revision != revision:
            raise Conflict(
                _("Hồ sơ %(code)s vừa được người khác cập nhật; hãy tải lại trang.")
                % {"code": locked.code}
            )
        if not may_correct_declaration(officer, locked):
            raise PermissionDenied(
                _("Chỉ Bộ phận Một cửa nơi tiếp nhận được nhập, sửa tờ khai khi hồ sơ đang mở.")
            )
        reason = _declaration_reason(locked, data, reason)
        entry = DeclarationRevision.objects.create(
            dossier=locked,
            before=locked.form_data,
            after=data,
            reason=reason,
            by=officer,
            by_name=officer.get_full_name(),
            at=now,
        )
        locked.form_data = data
        locked.revision += 1
        locked.save(update_fields=["form_data", "revision"])
        audit.record(
            "onestop.correct_declaration",
            locked,
            unit_id=locked.current_unit_id,
            data={"reason": reason, "revision": entry.pk},
        )
    return entry


def _declaration_reason(dossier: Dossier, data, reason: str) -> str:
    """Check the new declaration; the reason it is recorded with (refusals in Vietnamese)."""
    from congso.catalog.declaration_form import errors_for

    if not isinstance(data, dict):
        raise ValidationError({"__all__": [_("Tờ khai phải là một đối tượng JSON.")]})
    errors = errors_for(dossier.version.form_schema, data)
    if errors:
        raise ValidationError(errors)
    if data == dossier.form_data:
        raise ValidationError({"reason": [_("Tờ khai không có thay đổi nào.")]})
    reason = (reason or "").strip()[:2000]
    if not reason and dossier.form_data:
        raise ValidationError({"reason": [_("Nhập lý do sửa tờ khai.")]})
    return reason or _("Nhập tờ khai cho người nộp trực tiếp")


# --- A walk-in applicant seen before ----------------------------------------------------------


def _earlier_documents(officer, id_number: str):
    """Digitised documents of the dossiers ``officer`` may see that ``id_number`` filed."""
    return (
        DossierDocument.objects.filter(
            dossier__in=visible_dossiers(officer).filter(applicant_id_number=id_number),
            digitised=True,
        )
        .exclude(file="")
        .select_related("dossier")
        .order_by("-added_at", "-id")
    )


def earlier_offers(officer, id_number: str) -> list[reuse.Offer]:
    """The applicant's scans from earlier dossiers, the newest copy of each file once."""
    offers, seen = [], set()
    for document in _earlier_documents(officer, id_number)[: reuse.MAX_OFFERS * 2]:
        if document.sha256 in seen:
            continue
        seen.add(document.sha256)
        origin = _("hồ sơ %(code)s, %(day)s") % {
            "code": document.dossier.code,
            "day": timezone.localtime(document.added_at).strftime("%d/%m/%Y"),
        }
        offers.append(
            reuse.Offer(f"dossier:{document.pk}", document.name, origin, fits=fold(document.name))
        )
    return offers


def earlier_file(officer, id_number: str, ident: str) -> CheckedFile | None:
    """The stored scan ``ident``, checked again, when it is still the applicant's."""
    document = (
        _earlier_documents(officer, id_number).filter(pk=int(ident)).first()
        if ident.isdigit()
        else None
    )
    if document is None:
        return None
    with document.file.open("rb") as handle:
        return check_content(handle.read(), document.name)


def known_applicant(officer, id_number: str) -> dict:
    """What the applicant's latest dossier (among those ``officer`` may see) says about them: the
    desk confirms it instead of asking again. Empty for a first visit."""
    latest = (
        visible_dossiers(officer)
        .filter(applicant_id_number=id_number)
        .order_by("-filed_at", "-id")
        .values("applicant_name", "applicant_phone", "applicant_email", "applicant_address")
        .first()
    )
    return {key: value for key, value in (latest or {}).items() if value}


# --- Reading and locking dossiers from other apps (they never import ``onestop.models``) ----


def dossiers():
    """Every dossier, as a queryset other apps filter (payments, feedback, the portal)."""
    return Dossier.objects.all()


def dossier_for_update(pk: int | None, *related: str) -> Dossier | None:
    """The dossier ``pk`` locked for the rest of the transaction (None when there is none), with
    the ``related`` rows joined (and locked with it); callers take it first so that two writers
    of one dossier take turns."""
    found = Dossier.objects.select_for_update()
    if related:
        found = found.select_related(*related)
    return found.filter(pk=pk).first()
