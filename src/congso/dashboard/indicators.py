"""Every indicator of the dashboard, defined once: a pure function of the figures the sources
publish (``congso.core.figures``), with its target from the district's plan where it has one.

``evaluate(figures)`` takes ``{source: {key: number} | None}`` and returns one ``Value`` per
indicator. A source that is not available makes its indicators "not available" (never 0); a
rate whose denominator is 0 has no value (nothing happened in the period) but is available.
``docs/indicators.md`` gives the formula, source data and legal basis of each.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from congso.core.formatting import money

Figures = Mapping[str, Mapping[str, int | Decimal] | None]

PERCENT, COUNT, MONEY, RATIO = "percent", "count", "money", "ratio"
#: An indicator is amber (not red) when it reaches this share of its target.
AMBER_SHARE = Decimal("0.9")

NOT_AVAILABLE = _("không có số liệu")
STATUS_LABELS = {
    "green": _("Đạt"),
    "amber": _("Gần đạt"),
    "red": _("Chưa đạt"),
    "none": "",
}

SECTIONS = {
    "onestop": _("Giải quyết thủ tục hành chính"),
    "documents": _("Văn bản điện tử và chữ ký số"),
    "meetings": _("Giao ban trực tuyến"),
    "skills": _("Kỹ năng số cho người dân"),
    "ict": _("Hạ tầng công nghệ thông tin"),
}

SKILL_TOPICS = {
    "internet": _("Truy cập và sử dụng Internet"),
    "email": _("Thư điện tử"),
    "shopping": _("Mua bán trực tuyến"),
    "payment": _("Thanh toán điện tử"),
    "public_services": _("Dịch vụ công trực tuyến"),
    "data_safety": _("Bảo đảm an toàn thông tin cá nhân"),
}


@dataclass(frozen=True)
class Target:
    value: Decimal  # in the indicator's own unit (percent points for rates)
    label: str


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    section: str
    kind: str
    sources: tuple[str, ...]
    formula: Callable[[Figures], Decimal | int | None]
    target: Target | None = None


@dataclass(frozen=True)
class Value:
    indicator: Indicator
    available: bool
    value: Decimal | int | None

    @property
    def key(self) -> str:
        return self.indicator.key

    @property
    def status(self) -> str:
        """``green`` target met, ``amber`` within 90 % of it, ``red`` below, ``none`` when there
        is no target or no value."""
        target = self.indicator.target
        if target is None or self.value is None:
            return "none"
        if self.value >= target.value:
            return "green"
        return "amber" if self.value >= target.value * AMBER_SHARE else "red"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def target_display(self) -> str:
        target = self.indicator.target
        return show(self.indicator.kind, target.value) if target else ""

    @property
    def display(self) -> str:
        """The value as a leader reads it: ``95,3%``, ``1.234``, ``6.000.000 đ``; "không có số
        liệu" when the source is not available; "—" when nothing happened in the period."""
        if not self.available:
            return str(NOT_AVAILABLE)
        return show(self.indicator.kind, self.value)


def show(kind: str, number) -> str:
    if number is None:
        return "—"
    if kind == MONEY:
        return money(number)
    if kind == COUNT:
        return f"{int(number):,}".replace(",", ".")
    text = f"{number:.2f}" if kind == RATIO else f"{number:.1f}"
    return text.replace(".", ",") + ("%" if kind == PERCENT else "")


def percent(numerator, denominator) -> Decimal | None:
    """``numerator / denominator`` in percent, one decimal; ``None`` when nothing to divide."""
    if not denominator:
        return None
    share = Decimal(numerator) * 100 / Decimal(denominator)
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


# --- Decision 766/QĐ-TTg, by the national portal's formulas (docs/indicators.md) ----------------
#
# Each rate is numerator / denominator at the dossier level; ``PARTS`` names both so the index
# page shows them and drills down to the dossiers behind each.


def _on_time_parts(f: Figures) -> tuple[int, int]:
    """Portal formula 2.1: dossiers ended in the period or open at its end (now for a running
    period); on time = ended early or on time, open within time, or waiting for the citizen
    with the (only) request made in time. Supplement waiting is subtracted and a second
    request counts late (``onestop.timeliness``)."""
    o = f["onestop"]
    waiting_on_time = o["open_waiting"] - o["open_waiting_late"]
    numerator = o["finished_early"] + o["finished_on_time"] + o["open_within_time"]
    denominator = o["finished"] + o["open_within_time"] + o["open_overdue"] + o["open_waiting"]
    return numerator + waiting_on_time, denominator


def on_time_rate(f: Figures) -> Decimal | None:
    """Decision 766 indicator 2.1 (portal formula): on time over ended and open dossiers."""
    return percent(*_on_time_parts(f))


def _dissatisfied_parts(f: Figures) -> tuple[int, int]:
    return f["feedback"]["dossiers_dissatisfied"], f["onestop"]["received"]


def satisfaction_rate(f: Figures) -> Decimal | None:
    """Decision 766 indicator 5.4: 100% − (late% + share of dossiers complained about or rated
    unsatisfied); late% = 100% − the on-time rate of 2.1."""
    on_time = on_time_rate(f)
    if on_time is None:
        return None
    dissatisfied = percent(*_dissatisfied_parts(f)) or Decimal(0)
    return max(Decimal(0), Decimal(100) - ((Decimal(100) - on_time) + dissatisfied))


def _complaint_satisfaction_parts(f: Figures) -> tuple[int, int]:
    """Portal formula 5.3: complaints less those rated unsatisfied or answered late."""
    r = f["feedback"]
    unsatisfied = r["complaints_evaluated"] - r["complaints_satisfied"]
    return max(0, r["complaints"] - unsatisfied - r["complaints_overdue"]), r["complaints"]


PARTS: dict[str, Callable[[Figures], tuple[int, int]]] = {
    "on_time_rate": _on_time_parts,
    "online_filing_rate": lambda f: (f["onestop"]["received_online"], f["onestop"]["received"]),
    "online_payment_rate": lambda f: (
        f["payments"]["fee_paid_online"],
        f["payments"]["fee_dossiers"],
    ),
    "results_electronic": lambda f: (f["onestop"]["results_electronic"], f["onestop"]["received"]),
    "digitisation_rate": lambda f: (f["onestop"]["dossiers_digitised"], f["onestop"]["received"]),
    "reuse_rate": lambda f: (f["onestop"]["dossiers_reused"], f["onestop"]["received"]),
    "synced_to_portal": lambda f: (
        f["onestop"]["received_acknowledged"],
        f["onestop"]["received"],
    ),
    "satisfaction_rate": _dissatisfied_parts,
    "complaints_on_time_rate": lambda f: (
        f["feedback"]["complaints_answered_on_time"],
        f["feedback"]["complaints_answered"] + f["feedback"]["complaints_overdue"],
    ),
    "complaints_satisfaction_rate": _complaint_satisfaction_parts,
    "procedures_published_on_time": lambda f: (
        f["catalog"]["versions_published_on_time"],
        f["catalog"]["versions_published"],
    ),
    "catalogue_updated_on_time": lambda f: (
        f["catalog"]["versions_public_on_time"],
        f["catalog"]["versions_effective"],
    ),
    "procedures_complete": lambda f: (
        f["catalog"]["procedures_complete"],
        f["catalog"]["procedures_offered"],
    ),
}


def _parts_rate(key: str) -> Callable[[Figures], Decimal | None]:
    return lambda f: percent(*PARTS[key](f))


def complaints_on_time_rate(f: Figures) -> Decimal | None:
    """Answered on time over those whose deadline has come (answered, or overdue unanswered)."""
    r = f["feedback"]
    return percent(
        r["complaints_answered_on_time"], r["complaints_answered"] + r["complaints_overdue"]
    )


def incoming_on_time_rate(f: Figures) -> Decimal | None:
    d = f["documents"]
    return percent(d["incoming_done_on_time"], d["incoming_done"] + d["incoming_overdue"])


def _count(source: str, key: str) -> Callable[[Figures], int]:
    return lambda f: f[source][key]


def _share(source: str, numerator: str, denominator: str) -> Callable[[Figures], Decimal | None]:
    return lambda f: percent(f[source][numerator], f[source][denominator])


def _pct(value: int) -> Decimal:
    return Decimal(value)


def _catalogue() -> list[Indicator]:
    onestop = [
        Indicator(
            "received",
            _("Hồ sơ tiếp nhận"),
            "onestop",
            COUNT,
            ("onestop",),
            _count("onestop", "received"),
        ),
        Indicator(
            "received_online",
            _("Tiếp nhận trực tuyến"),
            "onestop",
            COUNT,
            ("onestop",),
            _count("onestop", "received_online"),
        ),
        Indicator(
            "received_desk",
            _("Tiếp nhận trực tiếp"),
            "onestop",
            COUNT,
            ("onestop",),
            _count("onestop", "received_desk"),
        ),
        Indicator(
            "finished",
            _("Đã giải quyết"),
            "onestop",
            COUNT,
            ("onestop",),
            _count("onestop", "finished"),
        ),
        Indicator(
            "finished_early",
            _("Giải quyết trước hạn"),
            "onestop",
            COUNT,
            ("onestop",),
            _count("onestop", "finished_early"),
        ),
        Indicator(
            "finished_on_time",
            _("Giải quyết đúng hạn"),
            "onestop",
            COUNT,
            ("onestop",),
            _count("onestop", "finished_on_time"),
        ),
        Indicator(
            "finished_late",
            _("Giải quyết quá hạn"),
            "onestop",
            COUNT,
            ("onestop",),
            _count("onestop", "finished_late"),
        ),
        Indicator(
            "open_within_time",
            _("Đang giải quyết trong hạn"),
            "onestop",
            COUNT,
            ("onestop",),
            _count("onestop", "open_within_time"),
        ),
        Indicator(
            "open_overdue",
            _("Đang giải quyết quá hạn"),
            "onestop",
            COUNT,
            ("onestop",),
            _count("onestop", "open_overdue"),
        ),
        Indicator(
            "on_time_rate",
            _("Tỷ lệ giải quyết đúng hạn"),
            "onestop",
            PERCENT,
            ("onestop",),
            on_time_rate,
        ),
        Indicator(
            "online_filing_rate",
            _("Tỷ lệ hồ sơ nộp trực tuyến"),
            "onestop",
            PERCENT,
            ("onestop",),
            _share("onestop", "received_online", "received"),
            Target(_pct(100), _("100% TTHC trực tuyến mức độ 3 đến 2025")),
        ),
        Indicator(
            "fully_online_share",
            _("Tỷ lệ hồ sơ trực tuyến toàn trình"),
            "onestop",
            PERCENT,
            ("onestop",),
            _share("onestop", "received_fully_online", "received"),
            Target(_pct(50), _("50% TTHC mức độ 4 (toàn trình) đến 2025")),
        ),
        Indicator(
            "online_payment_rate",
            _("Tỷ lệ hồ sơ thanh toán trực tuyến"),
            "onestop",
            PERCENT,
            ("payments",),
            _parts_rate("online_payment_rate"),
        ),
        Indicator(
            "results_electronic",
            _("Tỷ lệ hồ sơ có kết quả giải quyết điện tử"),
            "onestop",
            PERCENT,
            ("onestop",),
            _parts_rate("results_electronic"),
        ),
        Indicator(
            "digitisation_rate",
            _("Tỷ lệ hồ sơ được số hoá"),
            "onestop",
            PERCENT,
            ("onestop",),
            _parts_rate("digitisation_rate"),
        ),
        Indicator(
            "reuse_rate",
            _("Tỷ lệ hồ sơ tái sử dụng dữ liệu số hoá"),
            "onestop",
            PERCENT,
            ("onestop",),
            _parts_rate("reuse_rate"),
        ),
        Indicator(
            "documents_digitised_share",
            _("Tỷ lệ thành phần hồ sơ được số hoá"),
            "onestop",
            PERCENT,
            ("onestop",),
            _share("onestop", "documents_digitised", "documents"),
        ),
        Indicator(
            "synced_to_portal",
            _("Tỷ lệ hồ sơ được Cổng DVC quốc gia xác nhận đồng bộ"),
            "onestop",
            PERCENT,
            ("onestop",),
            _parts_rate("synced_to_portal"),
        ),
        Indicator(
            "procedures_published_on_time",
            _("Tỷ lệ TTHC công bố đúng hạn"),
            "onestop",
            PERCENT,
            ("catalog",),
            _parts_rate("procedures_published_on_time"),
        ),
        Indicator(
            "catalogue_updated_on_time",
            _("Tỷ lệ TTHC được cập nhật, công khai đúng hạn"),
            "onestop",
            PERCENT,
            ("catalog",),
            _parts_rate("catalogue_updated_on_time"),
        ),
        Indicator(
            "procedures_complete",
            _("Tỷ lệ TTHC công khai đầy đủ bộ phận tạo thành"),
            "onestop",
            PERCENT,
            ("catalog",),
            _parts_rate("procedures_complete"),
        ),
        Indicator(
            "satisfaction_rate",
            _("Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC"),
            "onestop",
            PERCENT,
            ("onestop", "feedback"),
            satisfaction_rate,
        ),
        Indicator(
            "complaints_satisfaction_rate",
            _("Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị"),
            "onestop",
            PERCENT,
            ("feedback",),
            _parts_rate("complaints_satisfaction_rate"),
        ),
        Indicator(
            "complaints_on_time_rate",
            _("Phản ánh, kiến nghị được trả lời đúng hạn"),
            "onestop",
            PERCENT,
            ("feedback",),
            complaints_on_time_rate,
        ),
    ]
    documents = [
        Indicator(
            "outgoing_electronic_share",
            _("Văn bản đi phát hành điện tử"),
            "documents",
            PERCENT,
            ("documents",),
            _share("documents", "outgoing_electronic", "outgoing_issued"),
            Target(_pct(100), _("100% văn bản (trừ văn bản mật) dạng điện tử")),
        ),
        Indicator(
            "outgoing_signed_share",
            _("Văn bản đi có chữ ký số"),
            "documents",
            PERCENT,
            ("documents",),
            _share("documents", "outgoing_signed", "outgoing_issued"),
        ),
        Indicator(
            "incoming_on_time_rate",
            _("Văn bản đến xử lý đúng hạn"),
            "documents",
            PERCENT,
            ("documents",),
            incoming_on_time_rate,
        ),
        Indicator(
            "officials_certificate_share",
            _("Cán bộ được cấp chữ ký số"),
            "documents",
            PERCENT,
            ("signing",),
            _share("signing", "officials_with_certificate", "officials"),
            # xgettext:no-python-format
            Target(_pct(100), _("100% cá nhân được cấp chữ ký số")),
        ),
        Indicator(
            "units_certificate_share",
            _("Cơ quan, đơn vị có chữ ký số"),
            "documents",
            PERCENT,
            ("signing",),
            _share("signing", "units_with_certificate", "units"),
            # xgettext:no-python-format
            Target(_pct(100), _("100% cơ quan, đơn vị được cấp chữ ký số")),
        ),
    ]
    meetings = [
        Indicator(
            "endpoints_working_share",
            _("Xã, thị trấn có điểm cầu hoạt động"),
            "meetings",
            PERCENT,
            ("meetings",),
            _share("meetings", "communes_with_working_endpoint", "communes"),
            # xgettext:no-python-format
            Target(_pct(100), _("100% xã, thị trấn có giao ban trực tuyến")),
        ),
        Indicator(
            "meetings_held",
            _("Cuộc giao ban đã tổ chức"),
            "meetings",
            COUNT,
            ("meetings",),
            _count("meetings", "meetings_held"),
        ),
        Indicator(
            "attendance_rate",
            _("Tỷ lệ điểm cầu tham dự"),
            "meetings",
            PERCENT,
            ("meetings",),
            _share("meetings", "attendance_present", "attendance_expected"),
        ),
        Indicator(
            "tasks_on_time_rate",
            _("Kết luận, nhiệm vụ hoàn thành đúng hạn"),
            "meetings",
            PERCENT,
            ("meetings",),
            _share("meetings", "tasks_done_on_time", "tasks_due"),
        ),
    ]
    skills = [
        Indicator(
            "people_trained",
            _("Người dân được phổ biến kỹ năng số"),
            "skills",
            COUNT,
            ("skills",),
            _count("skills", "people_trained"),
        ),
        Indicator(
            "adult_population_share",
            _("Tỷ lệ so với dân số trưởng thành"),
            "skills",
            PERCENT,
            ("skills",),
            _share("skills", "people_trained", "adult_population"),
        ),
        *[
            Indicator(
                f"people_trained_{topic}",
                label,
                "skills",
                COUNT,
                ("skills",),
                _count("skills", f"people_trained_{topic}"),
            )
            for topic, label in SKILL_TOPICS.items()
        ],
        Indicator(
            "lessons_completed",
            _("Bài học kỹ năng số đã hoàn thành"),
            "skills",
            COUNT,
            ("skills",),
            _count("skills", "lessons_completed"),
        ),
    ]
    ict = [
        Indicator(
            "computers_per_official",
            _("Máy tính trên mỗi cán bộ"),
            "ict",
            RATIO,
            ("ict",),
            lambda f: ratio(f["ict"]["computers"], f["ict"]["officials_at_units"]),
            Target(Decimal(1), _("Trang bị đầy đủ máy tính (1 máy/người)")),
        ),
        Indicator(
            "ipv6_share",
            _("Đơn vị sẵn sàng IPv6"),
            "ict",
            PERCENT,
            ("ict",),
            _share("ict", "units_ipv6_ready", "units"),
        ),
        Indicator(
            "it_staff",
            _("Cán bộ chuyên trách CNTT"),
            "ict",
            COUNT,
            ("ict",),
            _count("ict", "it_staff"),
        ),
        Indicator(
            "training_hours",
            _("Giờ đào tạo CNTT cho cán bộ"),
            "ict",
            COUNT,
            ("ict",),
            _count("ict", "training_hours"),
        ),
        Indicator(
            "investment_spent",
            _("Kinh phí đầu tư CNTT đã chi"),
            "ict",
            MONEY,
            ("ict",),
            _count("ict", "investment_spent"),
        ),
        Indicator(
            "investment_planned",
            _("Kinh phí đầu tư CNTT theo kế hoạch"),
            "ict",
            MONEY,
            ("ict",),
            _count("ict", "investment_planned"),
        ),
    ]
    return onestop + documents + meetings + skills + ict


INDICATORS: list[Indicator] = _catalogue()
BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
#: What leaders ask for first: the overview's headline cards.
HEADLINE = [
    "on_time_rate",
    "online_filing_rate",
    "fully_online_share",
    "online_payment_rate",
    "satisfaction_rate",
    "outgoing_electronic_share",
    "officials_certificate_share",
    "endpoints_working_share",
]


def _available(indicator: Indicator, figures: Figures) -> bool:
    return all(figures.get(source) is not None for source in indicator.sources)


def evaluate_one(indicator: Indicator, figures: Figures) -> Value:
    if not _available(indicator, figures):
        return Value(indicator, False, None)
    try:
        return Value(indicator, True, indicator.formula(figures))
    except KeyError:  # a provider that misses a contract key cannot be trusted for this figure
        return Value(indicator, False, None)


def evaluate(figures: Figures, keys: list[str] | None = None) -> list[Value]:
    chosen = INDICATORS if keys is None else [BY_KEY[k] for k in keys]
    return [evaluate_one(indicator, figures) for indicator in chosen]


def figures_read(keys: list[str], source: str) -> set[str]:
    """The figures of ``source`` that the indicators ``keys`` read: each formula run once on
    zeros (every formula reads its figures whatever their values), the keys it asks recorded."""
    read: set[str] = set()

    class Zeros(dict):
        def __init__(self, record: bool):
            super().__init__()
            self.record = record

        def __missing__(self, key):
            if self.record:
                read.add(key)
            return 0

    class Sources(dict):
        def __missing__(self, name):
            return Zeros(record=name == source)

    for key in keys:
        BY_KEY[key].formula(Sources())
    return read
