"""The one place that answers "may this user do this action here?" and scopes lists by unit.

Each role grants a set of actions. A position grants them at its unit and, for roles that oversee
lower levels (leaders, system administrators), in the whole subtree; other roles act at their unit
and at the offices inside it (departments, one-stop desk), never at another locality. Apps add
their actions to ``ROLE_ACTIONS`` by calling ``grant`` in their ``AppConfig.ready``, and name the
actions that sign (a personal signature or the organisation's seal) with ``signs``: whoever holds a
role granting one of them is a signer and must use the second factor.
"""

from collections import defaultdict

from django.db.models import Q

from congso.org.models import LOCALITY_KINDS, Unit

from .models import Role

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


def _positions(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_congso_positions", None)
    if cached is None:
        cached = list(user.active_positions())
        user._congso_positions = cached
    return cached


def _reach(position) -> Q:
    unit = position.unit
    if position.role in SUBTREE_ROLES:
        return Q(path__startswith=unit.path)
    # own unit and the offices inside it, stopping at the next locality below
    inside = Q(path__startswith=unit.path + ".") & ~Q(kind__in=LOCALITY_KINDS)
    return Q(pk=unit.pk) | inside


def roles_for(user, action: str) -> set[str]:
    return {role for role, actions in ROLE_ACTIONS.items() if action in actions}


def scope_units(user, action: str):
    """Units where ``user`` may do ``action``: a queryset, empty when nowhere."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return Unit.objects.all()
    allowed = roles_for(user, action)
    condition = Q(pk__in=[])
    for position in _positions(user):
        if position.role in allowed:
            condition |= _reach(position)
    return Unit.objects.filter(condition)


def can(user, action: str, unit: Unit | None = None) -> bool:
    """May ``user`` do ``action`` at ``unit`` (anywhere, when ``unit`` is None)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    scope = scope_units(user, action)
    if unit is None:
        return scope.exists()
    return scope.filter(pk=unit.pk).exists()


def scope_queryset(queryset, user, action: str, unit_field: str = "unit"):
    """Filter any queryset of objects that belong to a unit down to what ``user`` may see."""
    return queryset.filter(**{f"{unit_field}__in": scope_units(user, action)})
