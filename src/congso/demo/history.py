"""A generator of realistic dossier history: the demo's year of work and the benchmark's million.

Services receive and move dossiers one at a time, with a lock, an audit record and a notice
each; that is right for real work and far too slow to write a year of it. This module tells each
dossier's story in plain Python — filed, received, handed from step to step, sometimes sent back,
paused for a supplement, apologised for, refused or withdrawn, approved and returned — and writes
the rows the services would have written (``Dossier``, ``Step``, ``HandOver``, ``Event``,
``SupplementRequest``, ``DossierAccess``, optionally ``DossierDocument``) with ``bulk_create``.

What must stay true is computed with the same rules as the services: codes from
``rules.dossier_code`` continuing the day's ``Counter`` (so tomorrow's desk does not reuse a code),
due instants from ``worktime.deadlines.due_at`` with each unit's ``calendar_for``, a step's
timeliness from ``rules.classify_finished`` and the dossier's from ``timeliness``. A story stops at ``end``: whatever has not happened by then is
still open — within time or overdue, exactly as a real queue would be.

The same seed on the same units and catalogue gives the same dossiers.
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain

from django.db import connection, transaction
from django.db.models import Max
from django.db.models.base import ModelState
from django.utils import timezone

from congso.accounts.models import Position
from congso.catalog import services as catalog
from congso.catalog.models import Procedure, ProcedureVersion
from congso.core import audit
from congso.core.models import Counter
from congso.core.text import fold
from congso.onestop import queue_counts, routing, timeliness
from congso.onestop.lifecycle import Actor, State
from congso.onestop.models import (
    ClockChange,
    Dossier,
    DossierAccess,
    DossierDocument,
    Event,
    HandOver,
    ResultDelivery,
    Step,
    StepKind,
    StepState,
    SupplementRequest,
)
from congso.onestop.rules import classify_finished, code_counter_key, dossier_code, search_text
from congso.onestop.services import ACTOR_ROLES
from congso.org.models import COMMUNE_LEVEL_KINDS, Unit, UnitKind
from congso.worktime import deadlines
from congso.worktime.services import calendar_for

# --- the shape of a year ----------------------------------------------------------------------

#: How often each procedure is filed relative to the others at a unit offering it (1 if absent).
#: Certifications and civil status dominate a commune's desk; business and land the district's.
POPULARITY = {
    "2.000815": 30,
    "2.000884": 10,
    "2.000942": 4,
    "1.001193": 9,
    "1.000656": 3,
    "1.000894": 4,
    "2.000635": 6,
    "1.004873": 7,
    "1.004859": 2,
    "1.004884": 1,
    "1.000689": 1,
    "1.001776": 3,
    "1.001731": 1,
    "1.001699": 1,
    "1.001612": 10,
    "2.000720": 5,
    "1.001570": 2,
    "1.001266": 2,
    "2.000575": 1,
    "1.013225": 6,
    "1.013227": 1,
    "1.013228": 1,
    "1.012753": 8,
    "1.013831": 9,
    "2.000806": 1,
    "2.001008": 2,
}

#: Probabilities of the exceptions, per dossier (or per step where it says so).
P_ONLINE_REFUSED = 0.04  # an online filing the desk refuses to receive (form 03)
P_WITHDRAWN = 0.01  # the applicant withdraws (form 05)
P_SUPPLEMENT = 0.07  # the specialist asks for more documents (form 02)
P_SUPPLEMENT_NEVER = 0.15  # ... and the applicant never comes back
P_SEND_BACK = 0.04  # per leader step: the leader sends the draft back
P_REFUSED = 0.01  # per leader step: the leader refuses (form 03)
P_STUCK = 0.015  # per step: it sits far beyond its time
P_APOLOGY = 0.35  # of the dossiers about to be late: the leader apologises (form 04)
#: Per step, the share that overruns its allotted time; slower units overrun more often.
P_LATE_STEP = 0.05
SLOW_UNITS = {"TNMT": 0.2, "LĐTBXH": 0.14, "KTHT": 0.1}

CHANNEL_SHARE = {"desk": 0.6, "online": 0.35, "post": 0.05}
#: Share of a commune's population for the district desk's weight (district-level procedures).
DISTRICT_SHARE = 0.45
DEFAULT_POPULATION = 8000

FAMILY = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Thái", "Cao", "Đinh", "Chu",
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Đình", "Hữu", "Quang", "Minh", "Xuân", "Đức", "Công", "Bá", "Thanh"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Kim", "Mai", "Diệu"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Minh", "Nam",
    "Phong", "Quân", "Sơn", "Tài", "Thắng", "Toàn", "Trung", "Tuấn", "Việt", "Vinh",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hoa", "Hương", "Lan", "Linh",
    "Loan", "Mai", "Nga", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Yến",
]  # fmt: skip
MOBILE_PREFIXES = ["91", "94", "98", "97", "96", "86", "88", "35", "38", "39", "83", "84", "70"]

SUPPLEMENT_ITEMS = [
    "Bản sao giấy tờ tùy thân còn thời hạn",
    "Tờ khai ghi thiếu thông tin, cần ký lại",
    "Giấy tờ chứng minh nơi cư trú",
    "Bản vẽ, sơ đồ bị mờ, cần nộp lại",
    "Văn bản ủy quyền có chứng thực",
]
REFUSAL_REASONS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của đơn vị.",
    "Người nộp không đủ điều kiện theo quy định.",
    "Thông tin kê khai không khớp với cơ sở dữ liệu quốc gia.",
]
INTAKE_REFUSAL_REASONS = [
    "Tệp đính kèm không đọc được.",
    "Nộp nhầm thủ tục; đề nghị nộp lại đúng thủ tục.",
    "Thiếu thành phần hồ sơ bắt buộc.",
]
SEND_BACK_REASONS = [
    "Dự thảo kết quả còn sai sót, đề nghị kiểm tra lại.",
    "Cần bổ sung ý kiến thẩm định.",
]
APOLOGY_REASONS = [
    "Cần xác minh thêm thông tin với cơ quan liên quan.",
    "Khối lượng hồ sơ tăng đột biến trong kỳ.",
]


# --- what the generator knows about units, procedures and people --------------------------------


@dataclass
class Offer:
    """A procedure as a desk offers it: its version, channel terms, plan and popularity."""

    procedure: Procedure
    version: object
    terms: dict  # channel → ChannelTerms
    plan: list  # [(template, unit)]
    folded_name: str
    weight: float
    fees: dict  # channel → amount
    documents: list = field(default_factory=list)


@dataclass
class Desk:
    """A receiving unit (a commune, or the district's one-stop desk) and what it offers."""

    unit: Unit
    locality: Unit
    agency_id: str
    weight: float
    offers: list[Offer]
    offer_weights: list[float]
    calendar: deadlines.Calendar
    address: str


@dataclass
class Summary:
    dossiers: int = 0
    rows: int = 0
    seconds: float = 0.0
    states: dict = field(default_factory=lambda: defaultdict(int))

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _coded_unit(unit: Unit) -> Unit:
    """The unit whose electronic ID starts the code (as ``services._new_code`` chooses it)."""
    return unit if unit.agency_id else unit.locality()


def default_localities() -> list[Unit]:
    """Every active district and commune-level people's committee."""
    kinds = {UnitKind.DISTRICT, *COMMUNE_LEVEL_KINDS}
    return list(Unit.objects.active().filter(kind__in=kinds).order_by("path"))


class _World:
    """Everything read once from the database before the stories are told."""

    def __init__(self, localities: Iterable[Unit], at: dt.datetime):
        localities = list(localities)
        communes = [u for u in localities if u.kind in COMMUNE_LEVEL_KINDS]
        self.communes = communes or localities
        self.calendars: dict[int, deadlines.Calendar] = {}
        self.versions: dict[int, ProcedureVersion | None] = {}
        self.stand_ins: dict[tuple, tuple[None, str]] = {}
        self.people = self._people()
        self.desks = [d for d in (self._desk(u, at) for u in localities) if d is not None]
        self.desk_weights = [d.weight for d in self.desks]

    def calendar(self, unit: Unit) -> deadlines.Calendar:
        if unit.pk not in self.calendars:
            self.calendars[unit.pk] = calendar_for(unit)
        return self.calendars[unit.pk]

    def _people(self) -> dict:
        """(unit id, actor) → [(user id, full name)] of the officials acting there today."""
        roles = {role: actor for actor, roles in ACTOR_ROLES.items() for role in roles}
        people = defaultdict(list)
        positions = Position.objects.current().filter(role__in=roles).select_related("user")
        for position in positions.order_by("unit_id", "role", "user_id"):
            people[(position.unit_id, roles[position.role])].append(
                (position.user_id, position.user.get_full_name())
            )
        return people

    def _desk(self, locality: Unit, at: dt.datetime) -> Desk | None:
        unit = routing.intake_unit(locality)
        offers = [o for o in (self._offer(p, unit, at) for p in self._offered(locality)) if o]
        if not offers:
            return None
        weight = locality.population or DEFAULT_POPULATION
        if locality.kind == UnitKind.DISTRICT:
            weight = DISTRICT_SHARE * sum(
                c.population or DEFAULT_POPULATION for c in self.communes if c.pk != locality.pk
            )
        return Desk(
            unit=unit,
            locality=locality,
            agency_id=_coded_unit(unit).agency_id,
            weight=float(weight or 1),
            offers=offers,
            offer_weights=[o.weight for o in offers],
            calendar=self.calendar(unit),
            address=locality.short_name or locality.name,
        )

    @staticmethod
    def _offered(locality: Unit):
        return catalog.procedures_offered_at(locality).order_by("code")

    def _offer(self, procedure: Procedure, unit: Unit, at: dt.datetime) -> Offer | None:
        if procedure.pk not in self.versions:
            try:
                version = catalog.version_in_force(procedure, at)
            except ProcedureVersion.DoesNotExist:
                version = catalog.current_or_latest(procedure)
            self.versions[procedure.pk] = version
        version = self.versions[procedure.pk]
        if version is None:
            return None
        terms = {t.channel: t for t in version.channels.all()}
        steps = list(version.steps.all())
        if "desk" not in terms and "online" not in terms or not steps:
            return None
        plan = []
        for template in steps:
            step_unit = (
                unit
                if template.role == Actor.DESK
                else routing.resolve(template.responsible, receiving_unit=unit)
            )
            plan.append((template, step_unit))
        documents = [
            (d.pk, d.name, d.copy_kind, d.count)
            for d in version.documents.all()
            if d.mandatory and not d.is_declaration
        ]
        return Offer(
            procedure=procedure,
            version=version,
            terms=terms,
            plan=plan,
            folded_name=fold(procedure.name),
            weight=float(POPULARITY.get(procedure.code, 1)),
            fees={c: catalog.compute_fee(version, c, copies=1, pages=2) for c in terms},
            documents=documents,
        )

    def person(self, unit: Unit, actor: str, rng: random.Random) -> tuple[int | None, str]:
        """One of the officials acting as ``actor`` at ``unit``, or a plausible name for a unit
        nobody in the demo works at (so the history still says who did what)."""
        found = self.people.get((unit.pk, actor))
        if found:
            return found[rng.randrange(len(found))]
        key = (unit.pk, actor)
        if key not in self.stand_ins:
            stand_in = random.Random(f"{unit.agency_id or unit.name}:{actor}")  # any database
            self.stand_ins[key] = (None, _name(stand_in, stand_in.random() < 0.5))
        return self.stand_ins[key]


def _name(rng: random.Random, female: bool) -> str:
    middle, given = (MIDDLE_FEMALE, GIVEN_FEMALE) if female else (MIDDLE_MALE, GIVEN_MALE)
    return f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"


_DEFAULTS: dict = {}


def _row(model, **values):
    """``model(**values)`` without ``Model.__init__``'s per-field descriptor work, which is a
    third of the generator's time; ``bulk_create`` only reads the attributes. Defaults are
    computed once per model (the shared ``{}``/``[]`` defaults are never mutated here)."""
    if model not in _DEFAULTS:
        _DEFAULTS[model] = {
            f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key
        } | {model._meta.pk.attname: None}
    obj = model.__new__(model)
    obj.__dict__.update(_DEFAULTS[model])
    obj.__dict__.update(values)
    obj._state = ModelState()
    return obj


# --- spreading the dossiers over days and desks -------------------------------------------------


def _day_weight(calendar: deadlines.Calendar, day: dt.date) -> float:
    """Working days carry the load (Mondays a little more); online filings trickle in on rest
    days."""
    if deadlines.is_working_day(calendar, day):
        return 1.25 if day.weekday() == 0 else 1.0
    return 0.06


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainders), so the
    generator writes exactly the number asked for."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


# --- one dossier's story ------------------------------------------------------------------------


class _Ids:
    """Provisional primary keys (1, 2, …) within a batch, so steps and hand-overs can point at
    their rows before the batch is written; ``Generator._flush`` swaps them for real ones."""

    def __init__(self):
        self.next = 1

    def take(self) -> int:
        value, self.next = self.next, self.next + 1
        return value


def _reserve(model, count: int) -> list[int]:
    """``count`` unused primary keys of ``model``, in increasing order. PostgreSQL: drawn from
    the table's sequence, so dossiers received meanwhile never collide. SQLite: after the
    largest, inside the write transaction (SQLite has one writer at a time)."""
    if not count:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
    top = model.objects.aggregate(top=Max("pk"))["top"] or 0
    return list(range(top + 1, top + 1 + count))


@dataclass
class _Rows:
    dossiers: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    hand_overs: list = field(default_factory=list)
    events: list = field(default_factory=list)
    supplements: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    clock_changes: list = field(default_factory=list)

    def count(self) -> int:
        return sum(len(v) for v in vars(self).values())


class _Stop(Exception):
    """The story reached the end of the period: the dossier stays as it is."""


class _Story:
    """Tells one dossier's life and appends its rows; stops at ``end`` with whatever is open."""

    def __init__(self, gen: "Generator", desk: Desk, offer: Offer, channel: str, filed_at):
        self.gen, self.rng, self.world = gen, gen.rng, gen.world
        self.desk, self.offer, self.channel = desk, offer, channel
        self.end = gen.end
        self.filed_at = filed_at
        self.terms = offer.terms[channel]
        self.steps: list[Step] = []
        self.step_units: list[Unit] = []
        self.rows = gen.rows

    # -- small helpers

    def after(self, start: dt.datetime, hours: float, unit: Unit | None = None) -> dt.datetime:
        """``hours`` of working time after ``start`` in ``unit``'s calendar."""
        calendar = self.world.calendar(unit) if unit is not None else self.desk.calendar
        return deadlines.due_at(calendar, start, round(max(hours, 0.02), 4), "working_hours")

    def check(self, at: dt.datetime) -> None:
        if at > self.end:
            raise _Stop

    def event(self, name, from_state, to_state, at, who, note="", data=None):
        self.rows.events.append(
            _row(
                Event,
                dossier_id=self.d.pk,
                transition=name,
                from_state=from_state,
                to_state=to_state,
                actor_id=who[0],
                actor_name=who[1],
                at=at,
                note=note,
                data=data or {},
            )
        )
        if from_state:
            self.d.revision += 1
        self.d.state = to_state

    def clock(self, at: dt.datetime) -> None:
        """The clock's history, as ``services.record_clock`` keeps it: a row at each change."""
        self.rows.clock_changes.append(ClockChange.of(self.d, at))

    def desk_officer(self):
        return self.world.person(self.desk.unit, Actor.DESK, self.rng)

    # -- the story

    def tell(self) -> Dossier:
        self.d = self._dossier()
        try:
            self._receive()
            self._process()
        except _Stop:
            pass
        self.rows.steps.extend(self.steps)
        self.rows.dossiers.append(self.d)
        return self.d

    def _dossier(self) -> Dossier:
        rng, gen = self.rng, self.gen
        female = rng.random() < 0.52
        name = _name(rng, female)
        born = rng.randint(1950, 2006)
        id_number = (
            f"040{(0 if born < 2000 else 2) + female}{born % 100:02d}{rng.randrange(10**6):06d}"
        )
        phone = f"+84{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
        email = f"{fold(name).replace(' ', '.')}{rng.randrange(100)}@example.vn"
        applicant_id = None
        if self.channel == "online" and gen.applicants and rng.random() < 0.02:
            user = gen.applicants[rng.randrange(len(gen.applicants))]
            applicant_id, name = user.pk, user.get_full_name()
            id_number, phone, email = user.id_number or "", user.phone, user.email
        code = gen.next_code(self.desk, self.filed_at)
        delivery = {"online": ResultDelivery.ONLINE, "post": ResultDelivery.POST}.get(
            self.channel, ResultDelivery.POST if rng.random() < 0.08 else ResultDelivery.DESK
        )
        home = self.desk.address
        if self.desk.locality.kind == UnitKind.DISTRICT:
            commune = self.world.communes[rng.randrange(len(self.world.communes))]
            home = commune.short_name or commune.name
        dossier = _row(
            Dossier,
            id=gen.dossier_ids.take(),
            code=code,
            procedure_id=self.offer.procedure.pk,
            version_id=self.offer.version.pk,
            receiving_unit_id=self.desk.unit.pk,
            current_unit_id=self.desk.unit.pk,
            state=State.NEW,
            channel=self.channel,
            applicant_id=applicant_id,
            applicant_name=name,
            applicant_id_number=id_number,
            applicant_phone=phone,
            applicant_email=email if rng.random() < 0.4 or self.channel == "online" else "",
            applicant_address=f"Xóm {rng.randint(1, 15)}, {home}",
            result_delivery=delivery,
            fee_amount=self.offer.fees.get(self.channel, 0),
            filed_at=self.filed_at,
        )
        dossier.search_text = search_text(
            code=code,
            folded_name=gen.fold(name),
            id_number=id_number,
            phone=phone,
            folded_procedure=self.offer.folded_name,
        )
        if gen.documents:
            for pk, doc_name, copy_kind, count in self.offer.documents:
                self.rows.documents.append(
                    _row(
                        DossierDocument,
                        dossier_id=dossier.pk,
                        required_document_id=pk,
                        name=doc_name,
                        copy_kind=copy_kind,
                        count=count,
                        digitised=self.channel == "online",
                    )
                )
        return dossier

    def _receive(self) -> None:
        rng, d = self.rng, self.d
        if self.channel == "online":
            self.event("file", "", State.NEW, self.filed_at, (d.applicant_id, d.applicant_name))
            picked_up = self.after(self.filed_at, rng.uniform(0.1, 3.5))
            self.check(picked_up)
            if rng.random() < P_ONLINE_REFUSED:
                d.finished_at = picked_up
                self.event(
                    "refuse_intake",
                    State.NEW,
                    State.NOT_RECEIVED,
                    picked_up,
                    self.desk_officer(),
                    note=rng.choice(INTAKE_REFUSAL_REASONS),
                )
                raise _Stop
            d.received_at = picked_up
            self.event("accept", State.NEW, State.RECEIVED, picked_up, self.desk_officer())
        else:
            d.received_at = self.filed_at
            self.event("receive", "", State.RECEIVED, self.filed_at, self.desk_officer())
        d.due_at = d.original_due_at = d.statutory_due_at = deadlines.due_at(
            self.desk.calendar, d.received_at, self.terms.time_amount, self.terms.time_unit
        )
        self.clock(d.received_at)
        self._plan()

    def _plan(self) -> None:
        d = self.d
        for position, (template, unit) in enumerate(self.offer.plan, start=1):
            step = _row(
                Step,
                id=self.gen.step_ids.take(),
                dossier_id=d.pk,
                position=position,
                kind=StepKind.MAIN,
                name=template.name,
                actor=template.role,
                unit_id=unit.pk,
                amount=template.amount,
                time_unit=template.unit,
                state=StepState.PENDING,
            )
            self.steps.append(step)
            self.step_units.append(unit)
        first = self.steps[0]
        if first.actor == Actor.DESK:
            first.state, first.started_at, first.finished_at = (
                StepState.DONE,
                d.filed_at,
                d.received_at,
            )

    def _activate(self, index: int, at, giver, from_unit: Unit, note: str = "") -> None:
        step, unit = self.steps[index], self.step_units[index]
        step.state, step.started_at = StepState.ACTIVE, at
        calendar = self.world.calendar(unit)
        later = [
            deadlines.allotment(calendar, s.amount, s.time_unit) for s in self.steps[index + 1 :]
        ]
        step.due_at = deadlines.step_due(
            calendar,
            at,
            step.amount,
            step.time_unit,
            dossier_due=self.d.due_at,
            reserved=sum(later, dt.timedelta()) if later else None,
        )
        if step.actor != Actor.DESK:
            person = self.world.person(unit, step.actor, self.rng)
            step.assignee_id = person[0]
            self.assignee_names[index] = person
        self.d.current_unit_id = unit.pk
        hand_over = _row(
            HandOver,
            dossier_id=self.d.pk,
            step_id=step.pk,
            from_user_id=giver[0],
            from_unit_id=from_unit.pk,
            to_user_id=step.assignee_id,
            to_unit_id=unit.pk,
            at=at,
            note=note,
        )
        self.rows.hand_overs.append(hand_over)
        self.open_hand_over[index] = hand_over

    def _finish(self, index: int, at, opinion: str = "") -> str:
        step = self.steps[index]
        step.state, step.finished_at = StepState.DONE, at
        step.timeliness = classify_finished(at, step.due_at) if step.due_at else ""
        if opinion:
            step.opinion = opinion
        self.open_hand_over[index].timeliness = step.timeliness
        return step.timeliness

    def _allotted_hours(self, index: int) -> float:
        step, unit = self.steps[index], self.step_units[index]
        if step.time_unit == "working_days":
            return float(step.amount) * self.world.calendar(unit).day_length.total_seconds() / 3600
        return float(step.amount)

    def _pace(self) -> float:
        """How much of its allotment a step may use so the plan fits the dossier's time: a
        same-day dossier filed at 14:00 cannot use its steps' full eight hours."""
        d = self.d
        available = deadlines.working_time_between(self.desk.calendar, d.received_at, d.due_at)
        planned = sum(self._allotted_hours(i) for i in range(1, len(self.steps)))
        if planned <= 0:
            return 1.0
        return max(0.05, min(1.0, available.total_seconds() / 3600 / planned))

    def _duration(self, index: int) -> float:
        """Working hours the step really takes: mostly less than allotted, sometimes more."""
        unit = self.step_units[index]
        hours = self._allotted_hours(index) * self.pace
        rng = self.rng
        late = SLOW_UNITS.get(unit.symbol, P_LATE_STEP) * self.gen.lateness
        roll = rng.random()
        if roll < P_STUCK:
            return hours * rng.uniform(3, 8) + 16
        if roll < P_STUCK + late:
            return hours * rng.uniform(1.05, 2.2) + 4
        return hours * rng.uniform(0.1, 0.95)

    def _process(self) -> None:
        rng, d = self.rng, self.d
        self.assignee_names: dict[int, tuple] = {}
        self.open_hand_over: dict[int, HandOver] = {}
        self.pace = self._pace()
        desk_person = self.desk_officer()
        withdraw_at = (
            self.after(d.received_at, rng.uniform(2, 60)) if rng.random() < P_WITHDRAWN else None
        )
        start_at = self.after(d.received_at, rng.uniform(0.05, 1.5))
        self.check(start_at)
        working = [i for i, s in enumerate(self.steps) if s.actor != Actor.DESK]
        if not working:
            return
        self._activate(working[0], start_at, desk_person, self.desk.unit)
        self.event("start", State.RECEIVED, State.PROCESSING, start_at, desk_person)
        at, position, supplemented, sent_back = start_at, 0, False, False
        while position < len(working):
            index = working[position]
            step, unit = self.steps[index], self.step_units[index]
            who = self.assignee_names[index]
            finish = self.after(at, self._duration(index), unit)
            working_from = at
            if not supplemented and step.actor == Actor.SPECIALIST and rng.random() < P_SUPPLEMENT:
                supplemented = True
                working_from, finish = self._supplement(at, finish, who)
            if withdraw_at is not None and working_from < withdraw_at < finish:
                self._end(index, withdraw_at, "withdraw", (d.applicant_id, d.applicant_name))
            self._apologise_if_late(working_from, finish)
            self.check(finish)
            if step.actor == Actor.LEADER:
                roll = rng.random()
                if roll < P_REFUSED:
                    self._end(index, finish, "refuse", who, rng.choice(REFUSAL_REASONS))
                if not sent_back and roll < P_REFUSED + P_SEND_BACK and position > 0:
                    sent_back = True
                    previous = working[position - 1]
                    note = rng.choice(SEND_BACK_REASONS)
                    step.state, step.started_at, step.due_at = StepState.PENDING, None, None
                    self._activate(previous, finish, who, unit, note=note)
                    self.event(
                        "send_back",
                        State.PROCESSING,
                        State.PROCESSING,
                        finish,
                        who,
                        note=note,
                        data={"to_step": self.steps[previous].name},
                    )
                    at, position = finish, position - 1
                    continue
            opinion = "Đủ điều kiện giải quyết." if step.actor == Actor.SPECIALIST else ""
            timeliness = self._finish(index, finish, opinion)
            if position + 1 < len(working):
                nxt = working[position + 1]
                self._activate(nxt, finish, who, unit)
                self.event(
                    "forward",
                    State.PROCESSING,
                    State.PROCESSING,
                    finish,
                    who,
                    data={
                        "step": step.name,
                        "timeliness": timeliness,
                        "to_unit": self.step_units[nxt].pk,
                    },
                )
                at, position = finish, position + 1
                continue
            self._approve(index, finish, who)
            return

    def _supplement(self, at, finish, who) -> tuple[dt.datetime, dt.datetime]:
        """Form 02 part-way through the step; the clock stops until the applicant answers.
        Returns when work resumes and when the step now finishes."""
        rng, d = self.rng, self.d
        asked = self.after(at, rng.uniform(0.5, 6))
        self.check(asked)
        items = rng.sample(SUPPLEMENT_ITEMS, rng.randint(1, 2))
        reason = "Hồ sơ cần bổ sung, hoàn thiện thành phần."
        request = _row(
            SupplementRequest,
            dossier_id=d.pk,
            items=items,
            reason=reason,
            requested_by_id=who[0],
            requested_at=asked,
        )
        self.rows.supplements.append(request)
        remaining = deadlines.working_time_between(self.desk.calendar, asked, d.due_at)
        d.clock_stopped_at, d.remaining_seconds = asked, int(remaining.total_seconds())
        d.supplement_count += 1
        self.clock(asked)
        self.event(
            "request_supplement",
            State.PROCESSING,
            State.SUPPLEMENT_REQUESTED,
            asked,
            who,
            note=reason,
            data={"items": items},
        )
        if rng.random() < P_SUPPLEMENT_NEVER:
            raise _Stop
        answered = asked + dt.timedelta(days=rng.uniform(1, 12))
        self.check(answered)
        request.answered_at = answered
        if self.offer.version.supplement_restarts_clock:
            d.due_at = d.statutory_due_at = deadlines.due_at(
                self.desk.calendar, answered, self.terms.time_amount, self.terms.time_unit
            )
        else:
            calendar = self.desk.calendar
            d.due_at = deadlines.resumed_due(calendar, asked, d.due_at, answered)
            d.statutory_due_at = deadlines.resumed_due(
                calendar, asked, d.statutory_due_at, answered
            )
        d.clock_stopped_at, d.remaining_seconds = None, None
        self.clock(answered)
        count = len(items)
        if self.gen.documents:
            for item in items:
                self.rows.documents.append(
                    _row(DossierDocument, dossier_id=d.pk, name=item, from_supplement=True)
                )
        self.event(
            "supplement",
            State.SUPPLEMENT_REQUESTED,
            State.PROCESSING,
            answered,
            self.desk_officer(),
            data={"documents": count},
        )
        left = deadlines.working_time_between(self.desk.calendar, asked, finish)
        return answered, self.after(answered, max(left.total_seconds() / 3600, 0.5))

    def _apologise_if_late(self, since, finish) -> None:
        """A leader who sees the dossier will be late sends form 04 with a new date — once,
        before the due date where it can (after it, when the step began overdue)."""
        d, rng = self.d, self.rng
        if d.rescheduled or d.due_at is None or finish <= d.due_at or rng.random() >= P_APOLOGY:
            return
        at = max(since + dt.timedelta(minutes=5), d.due_at - dt.timedelta(hours=rng.uniform(2, 20)))
        if at >= finish:
            return
        self.check(at)
        leader = self.world.person(self.desk.locality, Actor.LEADER, rng)
        original = d.due_at
        new_due = deadlines.due_at(
            self.desk.calendar, finish, rng.choice([0, 1, 2, 3]), "working_days"
        )
        d.due_at = d.apology_due_at = new_due
        d.apologised_at, d.rescheduled = at, True
        self.clock(at)
        reason = rng.choice(APOLOGY_REASONS)
        self.event(
            "apologise",
            d.state,
            d.state,
            at,
            leader,
            note=reason,
            data={
                "reason": reason,
                "original_due_at": original.isoformat(),
                "new_due_at": new_due.isoformat(),
            },
        )

    def _end(self, index: int, at, name: str, who, note: str = "") -> None:
        """Refused (form 03) or withdrawn (form 05): finished, without a timeliness class."""
        self.check(at)
        d = self.d  # a clock standing still stays stopped: processing ended at the request
        note = note or "Công dân có đơn xin rút hồ sơ."
        d.finished_at = at
        self._finish(index, at)
        target = State.STOPPED if name == "refuse" else State.WITHDRAWN
        self.event(name, d.state, target, at, who, note=note)
        raise _Stop

    def _approve(self, index: int, at, who) -> None:
        d, rng = self.d, self.rng
        self._finish(index, at, "Đồng ý.")
        d.finished_at = at
        d.timeliness = timeliness.finished_class(timeliness.clock_of(d)).value
        returning = next(
            (i for i in range(index + 1, len(self.steps)) if self.steps[i].actor == Actor.DESK),
            None,
        )
        if returning is not None:
            self._activate(returning, at, who, self.step_units[index])
        self.event(
            "approve", State.PROCESSING, State.PROCESSED, at, who, data={"timeliness": d.timeliness}
        )
        collected = (
            self.after(at, rng.uniform(0.1, 3))
            if rng.random() < 0.85
            else at + dt.timedelta(days=rng.uniform(1, 20))
        )
        self.check(collected)
        d.returned_at = collected
        if d.result_delivery == ResultDelivery.DESK:
            d.returned_to = d.applicant_name
        elif d.result_delivery == ResultDelivery.POST:
            d.post_tracking = f"EB{rng.randrange(10**9):09d}VN"
        if returning is not None:
            self._finish(returning, collected)
        self.event(
            "return_result",
            State.PROCESSED,
            State.RETURNED,
            collected,
            self.desk_officer(),
            data={"delivery": d.result_delivery},
        )


# --- the generator ------------------------------------------------------------------------------


class Generator:
    """Writes ``count`` dossiers filed between ``start`` and ``end`` at the given localities."""

    def __init__(
        self,
        *,
        start: dt.datetime,
        end: dt.datetime,
        localities: Iterable[Unit] | None = None,
        seed: int = 0,
        batch_size: int = 10_000,
        documents: bool = False,
        applicants: Iterable = (),
        lateness: float = 1.0,
        progress: Callable[[Summary], None] | None = None,
    ):
        if end <= start:
            raise ValueError("the period must end after it starts")
        self.start, self.end = start, end
        self.world = _World(localities or default_localities(), end)
        if not self.world.desks:
            raise ValueError("no unit offers a procedure with a processing plan")
        self.rng = random.Random(seed)
        self.seed, self.batch_size, self.documents = seed, batch_size, documents
        self.applicants = list(applicants)
        self.lateness = lateness
        self.progress = progress
        self.rows = _Rows()
        self.summary = Summary()
        self._folded: dict[str, str] = {}
        self.counters: dict[str, int] = {}
        self.dossier_ids, self.step_ids = _Ids(), _Ids()

    def fold(self, text: str) -> str:
        if text not in self._folded:
            self._folded[text] = fold(text)
        return self._folded[text]

    # -- codes

    def _load_counters(self) -> None:
        rows = Counter.objects.filter(key__startswith="dossier:").values_list("key", "value")
        self.counters = dict(rows)
        self._touched: set[str] = set()

    def next_code(self, desk: Desk, filed_at: dt.datetime) -> str:
        day = timezone.localtime(filed_at).date()
        key = code_counter_key(desk.agency_id, day)
        self.counters[key] = self.counters.get(key, 0) + 1
        self._touched.add(key)
        return dossier_code(desk.agency_id, day, self.counters[key])

    def _save_counters(self) -> None:
        """Leave each day's counter at its last code, so the desk continues the sequence; with
        every batch, so an interrupted run leaves codes and counters consistent."""
        touched, self._touched = sorted(self._touched), set()
        Counter.objects.bulk_create(
            [Counter(key=k, value=self.counters[k]) for k in touched],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["value"],
            batch_size=self.batch_size,
        )

    # -- days

    def _days(self) -> list[dt.date]:
        first = timezone.localtime(self.start).date()
        last = timezone.localtime(self.end).date()
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]

    def _filings(self, desk: Desk, day: dt.date, count: int) -> list[tuple]:
        """(instant, offer, channel) of the day's filings at ``desk``, in order, none after
        ``end``. Desk and post filings come in office hours; online ones any time of day, and
        they are the only ones on days the office is closed."""
        rng, calendar = self.rng, desk.calendar
        working = deadlines.is_working_day(calendar, day)
        day_start = dt.datetime.combine(day, dt.time.min, tzinfo=calendar.time_zone)
        latest = (self.end - day_start).total_seconds() / 60 - 1
        filings = []
        for _n in range(count):
            offer, channel = self._pick(desk, working)
            if channel == "online":
                minutes = rng.triangular(6 * 60, 23 * 60, 14 * 60)
            else:
                period = calendar.periods[0 if rng.random() < 0.6 else -1]
                opens = period[0].hour * 60 + period[0].minute
                closes = period[1].hour * 60 + period[1].minute
                minutes = rng.uniform(opens, closes - 5)
            if minutes > latest:
                minutes = rng.uniform(0, max(latest, 0))
            filings.append((day_start + dt.timedelta(minutes=minutes), offer, channel))
        filings.sort(key=lambda f: f[0])
        return filings

    def _pick(self, desk: Desk, working: bool) -> tuple[Offer, str]:
        """A procedure by popularity and a channel it accepts; on closed days, online only."""
        rng = self.rng
        for _attempt in range(20):
            offer = rng.choices(desk.offers, weights=desk.offer_weights)[0]
            channels = [c for c in CHANNEL_SHARE if c in offer.terms]
            if not working:
                channels = [c for c in channels if c == "online"]
            if channels:
                shares = [CHANNEL_SHARE[c] for c in channels]
                return offer, rng.choices(channels, weights=shares)[0]
        return offer, next(iter(sorted(offer.terms)))

    # -- writing

    def _flush(self) -> None:
        rows, size = self.rows, self.batch_size
        if not rows.dossiers:
            return
        with transaction.atomic():
            self._assign_keys(rows)
            Dossier.objects.bulk_create(rows.dossiers, batch_size=size)
            Step.objects.bulk_create(rows.steps, batch_size=size)
            DossierAccess.objects.bulk_create(_access(rows), batch_size=size)
            HandOver.objects.bulk_create(rows.hand_overs, batch_size=size)
            Event.objects.bulk_create(rows.events, batch_size=size)
            SupplementRequest.objects.bulk_create(rows.supplements, batch_size=size)
            DossierDocument.objects.bulk_create(rows.documents, batch_size=size)
            ClockChange.objects.bulk_create(rows.clock_changes, batch_size=size)
            self._save_counters()
        self.summary.dossiers += len(rows.dossiers)
        self.summary.rows += rows.count()
        self.rows = _Rows()
        self.dossier_ids, self.step_ids = _Ids(), _Ids()
        if self.progress:
            self.progress(self.summary)

    @staticmethod
    def _assign_keys(rows: _Rows) -> None:
        """Replace the batch's provisional keys by reserved ones, in every row pointing at them."""
        dossier_ids = _reserve(Dossier, len(rows.dossiers))
        step_ids = _reserve(Step, len(rows.steps))
        for dossier in rows.dossiers:
            dossier.id = dossier_ids[dossier.id - 1]
        for step in rows.steps:
            step.id = step_ids[step.id - 1]
        changes = rows.clock_changes
        for row in chain(rows.steps, rows.hand_overs, rows.events, rows.supplements, changes):
            row.dossier_id = dossier_ids[row.dossier_id - 1]
        for document in rows.documents:
            document.dossier_id = dossier_ids[document.dossier_id - 1]
        for hand_over in rows.hand_overs:
            hand_over.step_id = step_ids[hand_over.step_id - 1]

    def run(self, count: int) -> Summary:
        started = timezone.now()
        self._load_counters()
        days = self._days()
        cells = [(day, desk) for day in days for desk in self.world.desks]
        weights = [_day_weight(desk.calendar, day) * desk.weight for day, desk in cells]
        for (day, desk), n in zip(cells, allocate(count, weights), strict=True):
            if not n:
                continue
            for filed_at, offer, channel in self._filings(desk, day, n):
                dossier = _Story(self, desk, offer, channel, filed_at).tell()
                self.summary.states[dossier.state] += 1
                if len(self.rows.dossiers) >= self.batch_size:
                    self._flush()
        self._flush()
        with transaction.atomic():
            audit.record(
                "onestop.generate_history",
                object_type="onestop.dossier",
                data={
                    "dossiers": self.summary.dossiers,
                    "from": self.start.isoformat(),
                    "to": self.end.isoformat(),
                    "seed": self.seed,
                },
            )
        self.summary.seconds = (timezone.now() - started).total_seconds()
        return self.summary


def _access(rows) -> list:
    """The access rows the service would have written: receiving unit, current unit, steps."""
    pairs = {(d.pk, d.receiving_unit_id) for d in rows.dossiers}
    pairs |= {(d.pk, d.current_unit_id) for d in rows.dossiers}
    pairs |= {(s.dossier_id, s.unit_id) for s in rows.steps}
    return [DossierAccess(dossier_id=d, unit_id=u) for d, u in pairs]


def generate(
    count: int,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    days: int = 365,
    **options,
) -> Summary:
    """Write ``count`` dossiers filed over ``days`` ending at ``end`` (now); see ``Generator``."""
    end = end or timezone.now()
    start = start or end - dt.timedelta(days=days)
    summary = Generator(start=start, end=end, **options).run(count)
    queue_counts.reconcile()  # the stories are written in bulk, beside the service's counts
    return summary
