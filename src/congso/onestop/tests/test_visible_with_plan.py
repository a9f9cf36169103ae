"""The detail answer's read (``services.visible_with_plan``) applies ``visible_dossier``'s rule in
Python to the dossier's access rows: for every demo person, an official who filed a dossier of
their own, an inactive official and an anonymous visitor, over every dossier of a generated
history, it finds exactly the dossiers ``visible_dossier`` finds, with their plan loaded."""

from django.contrib.auth.models import AnonymousUser

from congso.accounts.models import Role
from congso.accounts.tests.factories import PositionFactory
from congso.demo import history
from congso.onestop import services
from congso.onestop.models import Dossier


def _people(demo) -> list:
    people = list(demo["people"].values())
    far = PositionFactory(unit=demo["units"]["Xã Nghi Thạch"], role=Role.SPECIALIST).user
    Dossier.objects.filter(pk=Dossier.objects.order_by("pk").first().pk).update(applicant=far)
    gone = PositionFactory(unit=demo["units"]["Xã Nghi Long"], role=Role.DESK_OFFICER).user
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    return [*people, far, gone, AnonymousUser()]


def test_it_sees_what_visible_dossier_sees(demo):
    history.generate(40, days=30, seed=5)
    codes = list(Dossier.objects.order_by("pk").values_list("code", flat=True))
    seen_somewhere = hidden_somewhere = 0
    for person in _people(demo):
        person = type(person).objects.get(pk=person.pk) if person.pk else person  # a new request
        expected = set(
            services.visible_dossiers(person).values_list("code", flat=True)
            if person.is_authenticated
            else []
        )
        for code in codes:
            found = services.visible_with_plan(person, code)
            assert (found is not None) == (code in expected), (person, code)
            seen_somewhere += found is not None
            hidden_somewhere += found is None
    assert seen_somewhere and hidden_somewhere


def test_the_plan_is_read_with_the_dossier(demo):
    history.generate(5, days=10, seed=3)
    leader = demo["people"]["lanhdao.nghiloc"]
    dossier = services.visible_dossiers(leader).order_by("pk").first()
    found = services.visible_with_plan(leader, dossier.code)
    steps = services.prefetched_steps(found)
    expected = list(services.plan_steps().filter(dossier=dossier))
    assert [s.pk for s in steps] == [s.pk for s in expected] and expected
    assert all(step.dossier is found for step in steps)
    assert list(found.steps.filter(pk=expected[0].pk)) == [expected[0]]  # a real queryset still


def test_an_unknown_code_is_none(demo):
    assert services.visible_with_plan(demo["people"]["admin"], "000.00.00.X99-000000-0000") is None
