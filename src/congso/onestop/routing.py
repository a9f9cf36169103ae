"""Which unit runs each step of a dossier's plan.

A procedure's steps name their unit by level (``commune``, ``district``, ``province``) or by a
department symbol (``TP``, ``TCKH``…). The same template serves three tiers and two tiers: a level
that does not exist above the receiving unit (no district since July 2025) falls back to the
nearest people's committee.
"""

from congso.org.models import COMMUNE_LEVEL_KINDS, Unit, UnitKind

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


def _district_or_top(locality: Unit) -> Unit:
    return _ancestor_of_kind(locality, {UnitKind.DISTRICT}) or locality


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
    parent = _district_or_top(locality)
    department = (
        Unit.objects.subtree(parent)
        .active()
        .filter(kind=UnitKind.DEPARTMENT, symbol=responsible)
        .first()
    )
    return department or parent


def intake_unit(locality: Unit) -> Unit:
    """Where a dossier for ``locality`` is received: its one-stop desk, else the locality."""
    desk = locality.children.active().filter(kind=UnitKind.ONESTOP_DESK).first()
    return desk or locality
