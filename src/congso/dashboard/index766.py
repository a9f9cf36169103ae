"""The service index of Decision 766/QĐ-TTg (2022): 100 points in five groups (transparency 18,
timeliness 20, digitisation 22, online services 22, satisfaction 18), computed from the
dashboard's indicators.

The point bands per criterion come from ``index766.json`` (or the JSON file named by
``settings.DASHBOARD_INDEX_766_BANDS``). The decision's annex has **not been verified** here
(regulations §6): the bands shipped are placeholders to be checked and overridden. A criterion
without data (no source publishes it yet) scores nothing and is reported, so the total is read
together with the points that could be assessed.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

from .indicators import Value

DEFAULT_BANDS = Path(__file__).with_name("index766.json")


@dataclass(frozen=True)
class Criterion:
    label: str
    points: int
    value: Decimal | None
    available: bool
    score: int


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    points: int
    criteria: list[Criterion]

    @property
    def score(self) -> int:
        return sum(c.score for c in self.criteria)

    @property
    def assessed(self) -> int:
        return sum(c.points for c in self.criteria if c.available)


@dataclass(frozen=True)
class Index:
    groups: list[Group]
    verified: bool

    @property
    def score(self) -> int:
        return sum(g.score for g in self.groups)

    @property
    def points(self) -> int:
        return sum(g.points for g in self.groups)

    @property
    def assessed(self) -> int:
        return sum(g.assessed for g in self.groups)


@cache
def _load(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def configuration() -> dict:
    return _load(str(settings.DASHBOARD_INDEX_766_BANDS or DEFAULT_BANDS))


def band_score(value: Decimal | None, bands: list[list]) -> int:
    """Points of the first band (highest threshold first) the value reaches; 0 below all."""
    if value is None:
        return 0
    for threshold, points in sorted(bands, key=lambda band: -band[0]):
        if value >= Decimal(str(threshold)):
            return int(points)
    return 0


def _criterion(spec: dict, values: dict[str, Value]) -> Criterion:
    value = values.get(spec["indicator"])
    available = value is not None and value.available and value.value is not None
    number = value.value if available else None
    return Criterion(
        spec["label"], spec["points"], number, available, band_score(number, spec["bands"])
    )


def compute(values: list[Value], config: dict | None = None) -> Index:
    config = config or configuration()
    by_key = {v.key: v for v in values}
    groups = [
        Group(g["key"], g["label"], g["points"], [_criterion(c, by_key) for c in g["criteria"]])
        for g in config["groups"]
    ]
    return Index(groups, bool(config.get("verified")))
