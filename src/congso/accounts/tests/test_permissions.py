"""Who may act where: role scoping on a three-tier and a two-tier tree."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from congso.accounts.models import Position, Role
from congso.accounts.permissions import acting_units, may, scope
from congso.accounts.tests.factories import OfficialFactory, PositionFactory
from congso.org.services import retire_unit

pytestmark = pytest.mark.django_db
ENTER = "workspace.enter"
PEOPLE = "accounts.manage_people"
UNITS = "org.manage_units"


def _names(user, action):
    return set(acting_units(user, action).values_list("name", flat=True))


def _today():
    return timezone.localdate()


def test_leader_reaches_the_whole_subtree(tree, official_at):
    leader = official_at(tree["district"], Role.LEADER)
    assert _names(leader, ENTER) == {
        "UBND huyện Thử",
        "Phòng Tư pháp",
        "Bộ phận Một cửa",
        "UBND xã A",
        "UBND xã B",
    }
    assert not may(leader, ENTER, tree["province"])


def test_specialist_of_a_department_acts_there_only(tree, official_at):
    specialist = official_at(tree["department"], Role.SPECIALIST)
    assert _names(specialist, ENTER) == {"Phòng Tư pháp"}
    assert may(specialist, ENTER, tree["department"])
    assert not may(specialist, ENTER, tree["district"])
    assert not may(specialist, ENTER, tree["commune_a"])


def test_specialist_at_district_reaches_its_offices_but_not_communes(tree, official_at):
    specialist = official_at(tree["district"], Role.SPECIALIST)
    assert _names(specialist, ENTER) == {"UBND huyện Thử", "Phòng Tư pháp", "Bộ phận Một cửa"}


def test_desk_officer_of_commune_a_not_b(tree, official_at):
    officer = official_at(tree["commune_a"], Role.DESK_OFFICER)
    assert may(officer, ENTER, tree["commune_a"])
    assert not may(officer, ENTER, tree["commune_b"])
    assert not may(officer, ENTER, tree["district"])
    assert _names(officer, ENTER) == {"UBND xã A"}


def test_role_without_the_action_grants_nothing(tree, official_at):
    officer = official_at(tree["commune_a"], Role.DESK_OFFICER)
    assert not may(officer, PEOPLE)
    assert not acting_units(officer, PEOPLE).exists()


def test_unit_admin_manages_people_at_their_locality_only(tree, official_at):
    admin = official_at(tree["commune_a"], Role.UNIT_ADMIN)
    assert may(admin, PEOPLE, tree["commune_a"])
    assert not may(admin, PEOPLE, tree["commune_b"])
    assert not may(admin, UNITS)


def test_system_admin_reaches_everything_below(tree, official_at):
    admin = official_at(tree["province"], Role.SYSTEM_ADMIN)
    assert all(may(admin, UNITS, unit) for unit in tree.values())
    assert all(may(admin, PEOPLE, unit) for unit in tree.values())


def test_superuser_may_do_anything_anywhere(tree):
    root = OfficialFactory(is_superuser=True)
    assert may(root, "any.action", tree["commune_b"])
    assert acting_units(root, "any.action").count() == len(tree)


def test_anonymous_and_inactive_may_do_nothing(tree, official_at):
    assert not may(AnonymousUser(), ENTER, tree["district"])
    assert not may(None, ENTER)
    leader = official_at(tree["district"], Role.LEADER, is_active=False)
    assert not may(leader, ENTER, tree["district"])
    assert not acting_units(leader, ENTER).exists()


def test_ended_position_grants_nothing(tree):
    position = PositionFactory(
        unit=tree["district"],
        role=Role.LEADER,
        valid_from=dt.date(2020, 1, 1),
        valid_until=_today() - dt.timedelta(days=1),
    )
    assert not may(position.user, ENTER, tree["district"])


def test_position_ending_today_still_grants(tree):
    position = PositionFactory(unit=tree["district"], role=Role.LEADER, valid_until=_today())
    assert may(position.user, ENTER, tree["district"])


def test_position_not_yet_begun_grants_nothing(tree):
    position = PositionFactory(
        unit=tree["district"], role=Role.LEADER, valid_from=_today() + dt.timedelta(days=1)
    )
    assert not may(position.user, ENTER, tree["district"])


def test_retired_unit_grants_nothing(tree, official_at):
    officer = official_at(tree["commune_b"], Role.DESK_OFFICER)
    retire_unit(tree["commune_b"], on=_today() - dt.timedelta(days=1), successor=tree["commune_a"])
    officer.refresh_from_db()
    assert not may(officer, ENTER, tree["commune_b"])
    assert not may(officer, ENTER)


def test_unit_retiring_in_the_future_still_grants(tree, official_at):
    officer = official_at(tree["commune_b"], Role.DESK_OFFICER)
    retire_unit(tree["commune_b"], on=_today() + dt.timedelta(days=30))
    assert may(officer, ENTER, tree["commune_b"])


def test_several_positions_add_up(tree, official_at):
    officer = official_at(tree["commune_a"], Role.DESK_OFFICER)
    PositionFactory(user=officer, unit=tree["commune_b"], role=Role.SPECIALIST)
    assert _names(officer, ENTER) == {"UBND xã A", "UBND xã B"}


def test_scope_filters_objects_by_unit(tree, official_at):
    officer = official_at(tree["commune_a"], Role.DESK_OFFICER)
    official_at(tree["commune_b"], Role.DESK_OFFICER)
    leader = official_at(tree["district"], Role.LEADER)
    seen_by_officer = scope(officer, ENTER, Position.objects.all())
    assert {p.unit_id for p in seen_by_officer} == {tree["commune_a"].pk}
    seen_by_leader = scope(leader, ENTER, Position.objects.all())
    assert {p.unit_id for p in seen_by_leader} == {
        tree["commune_a"].pk,
        tree["commune_b"].pk,
        tree["district"].pk,
    }


# --- the two-tier shape (since 1 July 2025): province → communes, no district --------------


def test_two_tier_leader_of_province_reaches_every_commune(two_tier, official_at):
    leader = official_at(two_tier["province"], Role.LEADER)
    assert all(may(leader, ENTER, c) for c in two_tier["communes"])


def test_two_tier_desk_officer_stays_in_their_commune(two_tier, official_at):
    first, second, _third = two_tier["communes"]
    officer = official_at(first, Role.DESK_OFFICER)
    assert may(officer, ENTER, first)
    assert not may(officer, ENTER, second)
    assert not may(officer, ENTER, two_tier["province"])


def test_two_tier_specialist_at_province_does_not_reach_communes(two_tier, official_at):
    specialist = official_at(two_tier["province"], Role.SPECIALIST)
    assert may(specialist, ENTER, two_tier["province"])
    assert not any(may(specialist, ENTER, c) for c in two_tier["communes"])


def test_two_tier_admins(two_tier, official_at):
    first, second, _third = two_tier["communes"]
    unit_admin = official_at(second, Role.UNIT_ADMIN)
    assert may(unit_admin, PEOPLE, second) and not may(unit_admin, PEOPLE, first)
    system_admin = official_at(two_tier["province"], Role.SYSTEM_ADMIN)
    assert all(may(system_admin, UNITS, c) for c in two_tier["communes"])


@pytest.mark.parametrize("where", ["tree", "two_tier"])
@pytest.mark.parametrize("role", [Role.LEADER, Role.SPECIALIST, Role.DESK_OFFICER, Role.CLERK])
def test_may_answers_what_acting_units_lists_for_every_unit(request, where, role, official_at):
    """``may`` checks the reach in Python on the positions of the request; the database's
    ``acting_units`` is the reference."""
    from congso.org.models import Unit

    named = request.getfixturevalue(where).values()
    for position_unit in {u.pk: u for u in named if isinstance(u, Unit)}.values():
        official = official_at(position_unit, role)
        reached = set(acting_units(official, ENTER).values_list("pk", flat=True))
        for unit in Unit.objects.all():
            assert may(official, ENTER, unit) == (unit.pk in reached), (position_unit, unit)


def test_may_reads_the_positions_once_per_request(tree, official_at, django_assert_num_queries):
    from congso.accounts.models import User

    official = User.objects.get(pk=official_at(tree["commune_a"], Role.DESK_OFFICER).pk)
    with django_assert_num_queries(1):  # the positions with their units
        assert may(official, ENTER)
        assert may(official, ENTER, tree["commune_a"])
        assert not may(official, ENTER, tree["commune_b"])
        assert not may(official, UNITS)
