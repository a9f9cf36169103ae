"""The organs whose registers and documents an official reads are worked out from the units
within their reach (``permissions.acting_reach``) and equal what the rule's query answers — the
localities in their scope and the locality above each other unit in it — for every demo person,
an official at two levels and a superuser; the register page reads them once."""

import pytest
from django.db.models import Q

from congso.accounts import permissions
from congso.accounts.models import Position, Role, User
from congso.documents import lifecycle, services
from congso.org.choices import LOCALITY_KINDS
from congso.org.models import Unit

pytestmark = pytest.mark.django_db


def _by_query(user) -> list[int]:
    scope = permissions.acting_units(user, lifecycle.VIEW)
    rule = Q(pk__in=scope.filter(kind__in=LOCALITY_KINDS)) | Q(
        pk__in=scope.exclude(kind__in=LOCALITY_KINDS).values("parent_id")
    )
    return list(Unit.objects.filter(rule).order_by("path").values_list("pk", flat=True))


def test_the_organs_follow_their_rule_for_everyone(demo):
    twice = demo["people"]["chuyenvien.tuphap"]
    Position.objects.create(user=twice, unit=demo["units"]["Xã Nghi Long"], role=Role.LEADER)
    admin = User.objects.create_superuser("quantri.organs", password="x")
    people = [*demo["people"].values(), admin]
    for person in people:
        user = User.objects.get(pk=person.pk)
        found = list(services.viewable_organs(user).values_list("pk", flat=True))
        assert found == _by_query(user), person.username
    assert any(_by_query(p) for p in people)


def test_the_register_page_reads_the_organs_once(client, demo, django_assert_max_num_queries):
    clerk = demo["people"]["vanthu.nghiloc"]
    client.force_login(clerk)
    client.get("/documents/registers/?direction=incoming")  # sessions, counts kept
    with django_assert_max_num_queries(12) as captured:
        response = client.get("/documents/registers/?direction=incoming")
    assert response.status_code == 200
    organ_reads = [q for q in captured.captured_queries if 'FROM "org_unit"' in q["sql"]]
    assert len(organ_reads) == 2, [q["sql"][:300] for q in organ_reads]  # the reach, the organs
