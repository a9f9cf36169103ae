"""The period report of the one-stop shop (regulations §5), by unit and by procedure.

Every figure is one conditional aggregate over the dossiers that touch the period — no Python loop
over dossiers — so a district-year stays fast at a million rows. The columns partition the
dossiers of the period, which is what lets a reader check a report by hand::

    carried + received = early + on_time + late + ended + open_within + overdue

``ended`` holds the dossiers closed without a timeliness class (withdrawn by the applicant, or
stopped); the statutory columns "finished early / on time / late" stay as the regulation names
them. Figures are computed from the dossier's current timestamps: ``received_at``,
``finished_at`` (result approved, refused or withdrawn), ``returned_at`` and ``due_at``.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from congso.catalog.models import Channel
from congso.core.periods import Period
from congso.org.models import Unit

from .models import Dossier, SupplementRequest
from .rules import Timeliness

#: The report's columns in print order: (key, heading).
COLUMNS = [
    ("carried", _("Kỳ trước chuyển sang")),
    ("received_online", _("Tiếp nhận trực tuyến")),
    ("received_desk", _("Tiếp nhận trực tiếp")),
    ("received_post", _("Tiếp nhận qua bưu chính")),
    ("received", _("Tổng tiếp nhận trong kỳ")),
    ("early", _("Giải quyết trước hạn")),
    ("on_time", _("Giải quyết đúng hạn")),
    ("late", _("Giải quyết quá hạn")),
    ("ended", _("Rút, dừng xử lý")),
    ("finished", _("Tổng đã giải quyết")),
    ("open_within", _("Đang giải quyết trong hạn")),
    ("overdue", _("Đang giải quyết quá hạn")),
    ("open", _("Tổng đang giải quyết")),
    ("supplements", _("Yêu cầu bổ sung")),
    ("returned", _("Đã trả kết quả")),
]
KEYS = [key for key, _heading in COLUMNS]


@dataclass
class Row:
    key: object  # unit id or procedure id; None for the total
    label: str
    figures: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.figures[key]

    @property
    def cells(self) -> list[int]:
        return [self.figures[k] for k in KEYS]

    @property
    def balanced(self) -> bool:
        f = self.figures
        return f["carried"] + f["received"] == f["finished"] + f["open"]


@dataclass
class Report:
    period: Period
    unit: Unit
    by: str  # "unit" or "procedure"
    rows: list[Row]
    total: Row


def unit_ids(unit: Unit) -> list[int]:
    """The unit and every unit below it (desks, departments, communes): their dossiers count."""
    return list(Unit.objects.subtree(unit).values_list("pk", flat=True))


def _measures(period: Period) -> dict:
    """The conditional counts, one per column that comes from the dossier row itself."""
    begin, finish = period.begin, period.finish
    open_before = Q(finished_at__isnull=True) | Q(finished_at__gte=begin)
    open_after = Q(finished_at__isnull=True) | Q(finished_at__gte=finish)
    finished = Q(finished_at__gte=begin, finished_at__lt=finish)
    received = Q(received_at__gte=begin, received_at__lt=finish)
    within = Q(due_at__isnull=True) | Q(due_at__gte=finish)
    classes = [Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE]
    measures = {
        "carried": Count("pk", filter=Q(received_at__lt=begin) & open_before),
        "early": Count("pk", filter=finished & Q(timeliness=Timeliness.EARLY)),
        "on_time": Count("pk", filter=finished & Q(timeliness=Timeliness.ON_TIME)),
        "late": Count("pk", filter=finished & Q(timeliness=Timeliness.LATE)),
        "ended": Count("pk", filter=finished & ~Q(timeliness__in=classes)),
        "open_within": Count("pk", filter=open_after & within),
        "overdue": Count("pk", filter=open_after & ~within),
        "returned": Count("pk", filter=Q(returned_at__gte=begin, returned_at__lt=finish)),
    }
    for channel, key in [
        (Channel.ONLINE, "received_online"),
        (Channel.DESK, "received_desk"),
        (Channel.POST, "received_post"),
    ]:
        measures[key] = Count("pk", filter=received & Q(channel=channel))
    return measures


def _touching(ids: list[int], period: Period):
    """Dossiers received before the period ends and not finished before it begins, plus those
    returned in it: every dossier that can appear in a column."""
    return Dossier.objects.filter(receiving_unit_id__in=ids, received_at__lt=period.finish).filter(
        Q(finished_at__isnull=True)
        | Q(finished_at__gte=period.begin)
        | Q(returned_at__gte=period.begin, returned_at__lt=period.finish)
    )


def _group_field(by: str) -> str:
    if by not in ("unit", "procedure"):
        raise ValueError(by)
    return "receiving_unit_id" if by == "unit" else "procedure_id"


def _complete(figures: dict) -> dict:
    figures["received"] = (
        figures["received_online"] + figures["received_desk"] + figures["received_post"]
    )
    figures["finished"] = figures["early"] + figures["on_time"] + figures["late"] + figures["ended"]
    figures["open"] = figures["open_within"] + figures["overdue"]
    figures.setdefault("supplements", 0)
    return {k: figures[k] for k in KEYS}


def _supplements(ids: list[int], period: Period, group: str) -> dict:
    """Dossiers asked for a supplement in the period, by group: one aggregate query."""
    rows = (
        SupplementRequest.objects.filter(
            dossier__receiving_unit_id__in=ids,
            requested_at__gte=period.begin,
            requested_at__lt=period.finish,
        )
        .values(f"dossier__{group}")
        .annotate(n=Count("dossier_id", distinct=True))
    )
    return {row[f"dossier__{group}"]: row["n"] for row in rows}


def _labels(by: str, keys) -> dict:
    from congso.catalog.models import Procedure

    if by == "unit":
        return {u.pk: u.name for u in Unit.objects.filter(pk__in=keys)}
    return {p.pk: f"{p.code} — {p.name}" for p in Procedure.objects.filter(pk__in=keys)}


def period_report(unit: Unit, period: Period, *, by: str = "unit") -> Report:
    """The §5 report of ``unit`` and the units below it for ``period``, one row per receiving
    unit (``by="unit"``) or per procedure (``by="procedure"``), with the total row."""
    group = _group_field(by)
    ids = unit_ids(unit)
    grouped = (
        _touching(ids, period).order_by().values(group).annotate(**_measures(period)).order_by()
    )
    supplements = _supplements(ids, period, group)
    figures = {row.pop(group): row for row in grouped}
    for key, count in supplements.items():
        figures.setdefault(key, {k: 0 for k in KEYS})["supplements"] = count
    labels = _labels(by, figures.keys())
    rows = [
        Row(key, labels.get(key, "—"), _complete(values))
        for key, values in sorted(figures.items(), key=lambda kv: labels.get(kv[0], ""))
    ]
    total = Row(None, str(_("Tổng cộng")), {k: sum(r.figures[k] for r in rows) for k in KEYS})
    return Report(period=period, unit=unit, by=by, rows=rows, total=total)
