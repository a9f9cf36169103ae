"""The service index of Decision 766/QĐ-TTg (2022): 100 points in five groups (transparency 18,
timeliness 20, digitisation 22, online services 22, satisfaction 18), each criterion computed at
the dossier level with the national portal's formula (``indicators.PARTS``: numerator and
denominator) and scored **proportionally**: ``points × min(value, threshold) / threshold`` — full
points at the threshold (e.g. 50% online filing, 80% digitisation, 90% satisfaction), as the
portal's formula notes say.

Points, thresholds, formulas and legal bases per criterion come from ``index766.json`` (or the
JSON file named by ``settings.DASHBOARD_INDEX_766_BANDS``); ``verified`` marks those read in a
source — the page says which are still this platform's reading. Every criterion has data: a
criterion whose denominator is 0 (nothing to judge in the period) scores full points, as the
portal shows "N/A" rather than a failure; one whose source is unavailable scores 0 and says so.
"""

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

from .indicators import PARTS, Value

DEFAULT_BANDS = Path(__file__).with_name("index766.json")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    points: int
    value: Decimal | None
    available: bool
    score: Decimal
    threshold: Decimal = Decimal(100)
    portal: str = ""
    formula: str = ""
    basis: str = ""
    verified: bool = False
    numerator: int | None = None
    denominator: int | None = None


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    points: int
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def score(self) -> Decimal:
        return sum((c.score for c in self.criteria), Decimal(0))

    @property
    def assessed(self) -> int:
        return sum(c.points for c in self.criteria if c.available)


@dataclass(frozen=True)
class Index:
    groups: list[Group]
    verified: bool

    @property
    def score(self) -> Decimal:
        return sum((g.score for g in self.groups), Decimal(0))

    @property
    def points(self) -> int:
        return sum(g.points for g in self.groups)

    @property
    def assessed(self) -> int:
        return sum(g.assessed for g in self.groups)

    @property
    def criteria(self) -> list[Criterion]:
        return [c for g in self.groups for c in g.criteria]


@cache
def _load(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def configuration() -> dict:
    return _load(str(settings.DASHBOARD_INDEX_766_BANDS or DEFAULT_BANDS))


def proportional_score(value: Decimal | None, points: int, threshold) -> Decimal:
    """Decision 766 scoring as the portal applies it: full ``points`` from ``threshold`` % up,
    ``value × points / threshold`` below; two decimals."""
    if value is None:
        return Decimal(0)
    threshold = Decimal(str(threshold))
    share = min(Decimal(value), threshold) / threshold
    return (share * points).quantize(CENT, rounding=ROUND_HALF_UP)


def _criterion(spec: dict, values: dict[str, Value], figures) -> Criterion:
    value = values.get(spec["indicator"])
    available = value is not None and value.available
    numerator = denominator = None
    if available and figures is not None and spec["indicator"] in PARTS:
        try:
            numerator, denominator = PARTS[spec["indicator"]](figures)
        except (KeyError, TypeError):
            numerator = denominator = None
    number = value.value if available else None
    if available and number is None:  # nothing to judge in the period: not a failure
        score = Decimal(spec["points"])
    else:
        score = proportional_score(number, spec["points"], spec.get("threshold", 100))
    return Criterion(
        key=spec["indicator"],
        label=spec["label"],
        points=spec["points"],
        value=number,
        available=available,
        score=score if available else Decimal(0),
        threshold=Decimal(str(spec.get("threshold", 100))),
        portal=spec.get("portal", ""),
        formula=spec.get("formula", ""),
        basis=spec.get("basis", ""),
        verified=bool(spec.get("verified")),
        numerator=numerator,
        denominator=denominator,
    )


def compute(values: list[Value], config: dict | None = None, figures=None) -> Index:
    config = config or configuration()
    by_key = {v.key: v for v in values}
    groups = [
        Group(
            g["key"],
            g["label"],
            g["points"],
            [_criterion(c, by_key, figures) for c in g["criteria"]],
        )
        for g in config["groups"]
    ]
    return Index(groups, bool(config.get("verified")))
