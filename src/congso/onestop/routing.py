"""Which unit runs each step of a dossier's plan.

A procedure's steps name their unit by level (``commune``, ``district``, ``province``) or by a
department symbol (``TP``, ``TCKH``…). The same template serves three tiers and two tiers: a level
that does not exist above the receiving unit (no district since July 2025) falls back to the
nearest people's committee; a department symbol goes to the district's office (phòng) or, in a
two-tier province, to the province's department (sở) of that symbol (Resolution 190/2025/QH15 and
the Law on Local Government Organisation 2025: communes directly under the province).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from congso.org import services as org
from congso.org.choices import COMMUNE_LEVEL_KINDS, UnitKind

if TYPE_CHECKING:
    from congso.org.models import Unit

LEVEL_KINDS = {
    "commune": COMMUNE_LEVEL_KINDS,
    "district": {UnitKind.DISTRICT},
    "province": {UnitKind.PROVINCE},
}


def _ancestor_of_kind(locality: Unit, kinds) -> Unit | None:
    for unit in [locality, *locality.ancestors()]:
        if unit.kind in kinds:
            return unit
    return None


def _department(parent: Unit, symbol: str, *, anywhere_below: bool) -> Unit | None:
    units = org.units().subtree(parent) if anywhere_below else parent.children.all()
    return units.active().filter(kind=UnitKind.DEPARTMENT, symbol=symbol).first()


def resolve(responsible: str, *, receiving_unit: Unit, applicant_home: Unit | None = None) -> Unit:
    locality = receiving_unit.locality()
    if responsible == "commune":
        if locality.kind in COMMUNE_LEVEL_KINDS:
            return locality
        if applicant_home is not None and applicant_home.path.startswith(locality.path + "."):
            return applicant_home
        return locality
    if responsible in LEVEL_KINDS:
        return _ancestor_of_kind(locality, LEVEL_KINDS[responsible]) or locality
    # a department symbol: the district's office (phòng) where there is a district; in a
    # two-tier province (no district since 1 July 2025) the province's department (sở), among
    # the province's own departments only
    district = _ancestor_of_kind(locality, {UnitKind.DISTRICT})
    if district is not None:
        return _department(district, responsible, anywhere_below=True) or district
    province = _ancestor_of_kind(locality, {UnitKind.PROVINCE})
    if province is not None:
        return _department(province, responsible, anywhere_below=False) or locality
    return locality


def intake_unit(locality: Unit) -> Unit:
    """Where a dossier for ``locality`` is received: its one-stop desk, else the locality."""
    desk = locality.children.active().filter(kind=UnitKind.ONESTOP_DESK).first()
    return desk or locality
