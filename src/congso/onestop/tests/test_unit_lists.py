"""The unit lists of a request — where an official may see dossiers, where they act as desk
officer, specialist or leader — are worked out from one read of the units within their reach
(``permissions.units_within_reach``) and equal what a query of each rule answers, for every demo
person and an official holding positions at two levels."""

import pytest
from django.db.models import Q

from congso.accounts import permissions
from congso.accounts.models import Position, Role, User
from congso.onestop import queues, services
from congso.onestop.lifecycle import Actor
from congso.org.choices import LOCALITY_KINDS
from congso.org.models import Unit

pytestmark = pytest.mark.django_db


def _fresh(user) -> User:
    """The user as a new request loads it: nothing of an earlier request kept on the object."""
    return User.objects.get(pk=user.pk)


def _by_query(user, actor: str) -> set[int]:
    """The rule of ``queues.acting_units``, one query: a position's unit and its children that
    are not localities."""
    roles = services.ACTOR_ROLES[actor]
    held = [p.unit_id for p in user.active_positions() if p.role in roles]
    rule = Q(pk__in=held) | (Q(parent_id__in=held) & ~Q(kind__in=LOCALITY_KINDS))
    return set(Unit.objects.filter(rule).values_list("pk", flat=True)) if held else set()


def _everyone(demo) -> list[User]:
    twice = demo["people"]["chuyenvien.tuphap"]  # a district specialist, leader at a commune too
    Position.objects.create(user=twice, unit=demo["units"]["Xã Nghi Long"], role=Role.LEADER)
    return [*demo["people"].values()]


def test_the_view_units_are_acting_units(demo):
    for person in _everyone(demo):
        expected = set(
            permissions.acting_units(person, "onestop.view").values_list("pk", flat=True)
        )
        user = _fresh(person)
        assert set(services.view_unit_ids(user)) == expected, person.username


def test_the_queues_units_follow_their_rule(demo):
    for person in _everyone(demo):
        user = _fresh(person)
        for actor in (Actor.DESK, Actor.SPECIALIST, Actor.LEADER):
            assert set(queues.acting_units(user, actor)) == _by_query(user, actor), (
                person.username,
                actor,
            )


def test_one_query_serves_every_list(demo, django_assert_num_queries):
    user = _fresh(demo["people"]["lanhdao.nghiloc"])
    permissions.held_positions(user)
    with django_assert_num_queries(1):
        services.view_unit_ids(user)
        for actor in (Actor.DESK, Actor.SPECIALIST, Actor.LEADER):
            queues.acting_units(user, actor)
        permissions.acting_unit_ids(user, "documents.view")
    assert len(services.view_unit_ids(user)) > 10  # the district's subtree
