"""The one permission vocabulary: "may this user do this action here?" and lists scoped by unit.

Each role grants a set of actions. A position grants them at its unit and, for roles that oversee
lower levels (leaders, system administrators), in the whole subtree; other roles act at their unit
and at the offices inside it (departments, one-stop desk), never at another locality. Apps add
their actions to ``ROLE_ACTIONS`` by calling ``grant`` in their ``AppConfig.ready``, and name the
actions that sign (a personal signature or the organisation's seal) with ``signs``: whoever holds a
role granting one of them is a signer and must use the second factor.

* ``acting_units(user, action)`` — the units the user reaches (oversight reaches the subtree);
* ``may(user, action, unit_or_object)`` — one unit (or an object's unit) within that reach;
* ``scope(user, action, queryset, unit_field)`` — a list narrowed to that reach;
* ``acts_for(user, action, organ)`` / ``organs_for`` — acting *on behalf of* a people's committee
  (approve, sign, issue, decide a dossier): only its own people and its offices' people, never a
  leader of the level above.
"""

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from django.db.models import Q, Value
from django.utils import timezone

from congso.core.prepared import PreparedQuery
from congso.org.models import LOCALITY_KINDS, Unit

from .models import Position, Role

ROLE_ACTIONS: dict[str, set[str]] = defaultdict(set)
SIGNING_ACTIONS: set[str] = set()

#: Roles whose positions reach every unit below theirs.
SUBTREE_ROLES = {Role.LEADER, Role.DEPUTY_LEADER, Role.SYSTEM_ADMIN}


def grant(role: str, *actions: str) -> None:
    ROLE_ACTIONS[role].update(actions)


def signs(*actions: str) -> None:
    """Declare ``actions`` as signing ones (they put a signature or the seal on a document)."""
    SIGNING_ACTIONS.update(actions)


def signing_roles() -> set[str]:
    """Roles that grant at least one signing action: their holders sign."""
    return {role for role, actions in ROLE_ACTIONS.items() if actions & SIGNING_ACTIONS}


grant(
    Role.SYSTEM_ADMIN,
    "org.manage_units",
    "accounts.manage_people",
    "catalog.manage",
    "worktime.manage",
    "core.read_audit",
    "workspace.enter",
)
grant(Role.UNIT_ADMIN, "accounts.manage_people", "core.read_audit", "workspace.enter")
grant(Role.DESK_OFFICER, "accounts.prove_identity")
for _role in (Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.DEPUTY_LEADER, Role.CLERK):
    grant(_role, "workspace.enter")


def held_positions(user) -> list:
    """The user's positions in force with their units, read once per request (cached on the
    user object): every permission check and every one-stop queue of the request shares them."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_congso_positions", None)
    if cached is None:
        cached = _IN_FORCE.rows(user.pk, timezone.localdate())
        user._congso_positions = cached
    return cached


#: ``User.active_positions`` of one official on one day: the first query of nearly every page of
#: an official, compiled once (``core.prepared``).
_IN_FORCE = PreparedQuery(Position.objects.held_by, kinds=(int, dt.date), by_key=True)


def held_roles(user) -> set[str]:
    """The roles of the user's positions in force, read once per request (the same list every
    permission check of the request uses)."""
    return {position.role for position in held_positions(user)}


def _reach(position) -> Q:
    unit = position.unit
    if position.role in SUBTREE_ROLES:
        return Q(path__startswith=unit.path)
    # own unit and the offices inside it, stopping at the next locality below
    inside = Q(path__startswith=unit.path + ".") & ~Q(kind__in=LOCALITY_KINDS)
    return Q(pk=unit.pk) | inside


def _reaches(position, unit: Unit) -> bool:
    """``_reach`` for one unit already loaded, without a query (the same rule, checked against the
    database's answer in ``test_permissions``)."""
    own = position.unit
    if position.role in SUBTREE_ROLES:
        return unit.path.startswith(own.path)
    inside = unit.path.startswith(own.path + ".") and unit.kind not in LOCALITY_KINDS
    return unit.pk == own.pk or inside


def roles_for(user, action: str) -> set[str]:
    return {role for role, actions in ROLE_ACTIONS.items() if action in actions}


def _is_superuser(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.is_superuser


def _granting(user, action: str) -> list:
    allowed = roles_for(user, action)
    return [position for position in held_positions(user) if position.role in allowed]


def acting_units(user, action: str):
    """Units where ``user`` may do ``action``: a queryset, empty when nowhere. Leaders and system
    administrators reach the subtree (oversight: reading, reporting, administering); for a decision
    that binds an organ ask ``acts_for``."""
    if _is_superuser(user):
        return Unit.objects.all()
    condition = Q(pk__in=[])
    for position in _granting(user, action):
        condition |= _reach(position)
    return Unit.objects.filter(condition)


class ReachedUnit(NamedTuple):
    """A unit as the reach rules read it (``_reaches``)."""

    pk: int
    parent_id: int | None
    kind: str
    path: str


def units_within_reach(user) -> list[ReachedUnit]:
    """Every unit at or below one of the user's positions in force, read once per request in one
    query: the unit lists of a request — where the user may do an action (``acting_unit_ids``),
    where they act as desk officer, specialist or leader (``onestop.queues``) — are worked out
    from it in Python instead of a query each."""
    cached = getattr(user, "_congso_reach", None)
    if cached is None:
        paths = sorted({position.unit.path for position in held_positions(user)})
        tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        rows = _under(len(tops)).rows(*tops) if tops else []
        cached = user._congso_reach = [ReachedUnit(*row) for row in rows]
    return cached


#: ``_under(n)`` by ``n``: most officials hold their positions under one unit, a few under two.
_UNDER: dict[int, PreparedQuery] = {}


def _under(count: int) -> PreparedQuery:
    """The units at or below ``count`` paths, compiled once per count (``core.prepared``): each
    path is given as a value (``Value``), which the SQL escapes and extends into the pattern
    itself, so the path reaches the parameters whole; PostgreSQL folds the pattern before
    planning and still reads the path index. Compiling the query was half its cost."""
    if count not in _UNDER:

        def build(*paths):
            under = Q()
            for path in paths:
                under |= Q(path__startswith=Value(path))
            return Unit.objects.filter(under).values_list("pk", "parent_id", "kind", "path")

        _UNDER[count] = PreparedQuery(build, kinds=(str,) * count)
    return _UNDER[count]


def acting_reach(user, action: str) -> list[ReachedUnit]:
    """``acting_units(user, action)`` as ``ReachedUnit`` rows, worked out from
    ``units_within_reach`` by the same rule (``_reaches``): no query of its own after the
    request's first (but for a superuser, who reaches every unit)."""
    if _is_superuser(user):
        fields = ("pk", "parent_id", "kind", "path")
        return [ReachedUnit(*row) for row in Unit.objects.values_list(*fields)]
    granting = _granting(user, action)
    if not granting:
        return []
    return [u for u in units_within_reach(user) if any(_reaches(p, u) for p in granting)]


def acting_unit_ids(user, action: str) -> list[int]:
    """The ids of ``acting_units(user, action)`` (``acting_reach``)."""
    return [u.pk for u in acting_reach(user, action)]


def _unit_of(target) -> Unit | None:
    return target if target is None or isinstance(target, Unit) else target.unit


def may(user, action: str, target=None) -> bool:
    """May ``user`` do ``action`` at ``target`` — a unit or an object with a ``unit`` (anywhere,
    when ``target`` is None)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # the positions of the request (read once, units joined) answer without a query
    granting = _granting(user, action)
    if target is None:
        return bool(granting)
    unit = _unit_of(target)
    return unit is not None and any(_reaches(position, unit) for position in granting)


def scope(user, action: str, queryset, unit_field: str = "unit"):
    """Filter any queryset of objects that belong to a unit down to what ``user`` may reach."""
    return queryset.filter(**{f"{unit_field}__in": acting_units(user, action)})


def _same_organ(position_unit: Unit, unit: Unit) -> bool:
    """Do a position at ``position_unit`` and ``unit`` belong to one people's committee, the one
    standing for the other (the committee for its offices, an office for its committee)? Two
    sibling offices do not act for each other."""
    if position_unit.locality().pk != unit.locality().pk:
        return False
    return position_unit.pk == unit.pk or position_unit.is_locality or unit.is_locality


def acts_for(user, action: str, organ) -> bool:
    """May ``user`` do ``action`` on behalf of ``organ`` — approve, sign, issue, decide? Only from a
    position at that people's committee or at an office inside it (department, one-stop desk,
    office of the committee): a district chairman oversees a commune but never signs for it."""
    if organ is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(_same_organ(position.unit, organ) for position in _granting(user, action))


def organs_for(user, action: str):
    """People's committees ``user`` acts for in ``action`` (see ``acts_for``)."""
    if _is_superuser(user):
        return Unit.objects.filter(kind__in=LOCALITY_KINDS)
    ids = {position.unit.locality().pk for position in _granting(user, action)}
    return Unit.objects.filter(pk__in=ids)


def holders(action: str, organ) -> list:
    """Who may do ``action`` on behalf of ``organ`` today (see ``acts_for``), as
    ``core.awaiting.Holder``s with their role: the people a step hands the work to."""
    from congso.core.awaiting import Holder

    from .models import Position

    if organ is None:
        return []
    if organ.is_locality:  # the committee's own people and its offices' people
        where = Q(unit_id=organ.pk) | (
            Q(unit__parent_id=organ.pk) & ~Q(unit__kind__in=LOCALITY_KINDS)
        )
    else:  # an office's own people and its committee's people
        where = Q(unit_id=organ.pk) | Q(unit_id=organ.locality().pk)
    positions = (
        Position.objects.current()
        .filter(where, role__in=roles_for(None, action), user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    rank = {Role.LEADER: 0, Role.DEPUTY_LEADER: 1}
    found: dict[int, Holder] = {}
    for position in sorted(positions, key=lambda p: rank.get(p.role, 2)):
        found.setdefault(
            position.user_id, Holder(position.user, str(position.get_role_display()).lower())
        )
    return list(found.values())
