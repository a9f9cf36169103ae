"""Which units each tier and role reaches, as a table: ``acting_units`` (read, oversee, administer:
leaders and system administrators reach the subtree) and ``acts_for`` (act on behalf of an organ:
approve, sign, issue, decide — only the holder's own people's committee and the offices inside it,
never a locality below), on the three-tier and the two-tier tree."""

import pytest

from congso.accounts import permissions
from congso.accounts.models import Role

pytestmark = pytest.mark.django_db
ENTER = "workspace.enter"
DISTRICT_ALL = {"district", "department", "desk", "commune_a", "commune_b"}
DISTRICT_OFFICES = {"district", "department", "desk"}

#: (unit of the position, role) → (units reached, units acted for)
THREE_TIER = [
    ("province", Role.LEADER, {"province", *DISTRICT_ALL}, {"province"}),
    ("province", Role.SYSTEM_ADMIN, {"province", *DISTRICT_ALL}, {"province"}),
    ("district", Role.LEADER, DISTRICT_ALL, DISTRICT_OFFICES),
    ("district", Role.DEPUTY_LEADER, DISTRICT_ALL, DISTRICT_OFFICES),
    ("district", Role.SYSTEM_ADMIN, DISTRICT_ALL, DISTRICT_OFFICES),
    ("district", Role.UNIT_ADMIN, DISTRICT_OFFICES, DISTRICT_OFFICES),
    ("district", Role.SPECIALIST, DISTRICT_OFFICES, DISTRICT_OFFICES),
    ("district", Role.CLERK, DISTRICT_OFFICES, DISTRICT_OFFICES),
    ("department", Role.SPECIALIST, {"department"}, {"department", "district"}),
    ("department", Role.CLERK, {"department"}, {"department", "district"}),
    ("desk", Role.DESK_OFFICER, {"desk"}, {"desk", "district"}),
    ("commune_a", Role.LEADER, {"commune_a"}, {"commune_a"}),
    ("commune_a", Role.CLERK, {"commune_a"}, {"commune_a"}),
    ("commune_a", Role.DESK_OFFICER, {"commune_a"}, {"commune_a"}),
    ("commune_a", Role.UNIT_ADMIN, {"commune_a"}, {"commune_a"}),
]

TWO_TIER = [
    ("province", Role.LEADER, {"province", "c1", "c2", "c3"}, {"province"}),
    ("province", Role.SYSTEM_ADMIN, {"province", "c1", "c2", "c3"}, {"province"}),
    ("province", Role.SPECIALIST, {"province"}, {"province"}),
    ("c1", Role.LEADER, {"c1"}, {"c1"}),
    ("c2", Role.DESK_OFFICER, {"c2"}, {"c2"}),
    ("c3", Role.UNIT_ADMIN, {"c3"}, {"c3"}),
]


def _check(units: dict, official_at, where, role, reaches, acts):
    user = official_at(units[where], role)
    names = {unit.pk: name for name, unit in units.items()}
    reached = {
        names[pk] for pk in permissions.acting_units(user, ENTER).values_list("pk", flat=True)
    }
    assert reached == reaches
    acted = {name for name, unit in units.items() if permissions.acts_for(user, ENTER, unit)}
    assert acted == acts
    for name, unit in units.items():
        assert permissions.may(user, ENTER, unit) == (name in reaches)
    organs = {names[pk] for pk in permissions.organs_for(user, ENTER).values_list("pk", flat=True)}
    assert organs == {n for n in acts if units[n].is_locality}


@pytest.mark.parametrize(("where", "role", "reaches", "acts"), THREE_TIER)
def test_three_tier(tree, official_at, where, role, reaches, acts):
    _check(tree, official_at, where, role, reaches, acts)


@pytest.mark.parametrize(("where", "role", "reaches", "acts"), TWO_TIER)
def test_two_tier(two_tier, official_at, where, role, reaches, acts):
    c1, c2, c3 = two_tier["communes"]
    units = {"province": two_tier["province"], "c1": c1, "c2": c2, "c3": c3}
    _check(units, official_at, where, role, reaches, acts)


def test_an_action_the_role_lacks_reaches_nothing_and_acts_for_nothing(tree, official_at):
    officer = official_at(tree["desk"], Role.DESK_OFFICER)
    assert not permissions.acting_units(officer, "documents.sign").exists()
    assert not permissions.acts_for(officer, "documents.sign", tree["district"])


def test_may_accepts_an_object_with_a_unit(tree, official_at):
    from congso.accounts.models import Position

    leader = official_at(tree["commune_a"], Role.LEADER)
    own = Position.objects.get(user=leader)
    other = Position.objects.get(user=official_at(tree["commune_b"], Role.CLERK))
    assert permissions.may(leader, ENTER, own) and not permissions.may(leader, ENTER, other)
    assert set(permissions.scope(leader, ENTER, Position.objects.all())) == {own}
