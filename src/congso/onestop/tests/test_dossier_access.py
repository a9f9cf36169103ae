"""Visibility as data (``DossierAccess``): the service writes a row for every unit that receives,
holds or has a step of a dossier, in the same transaction, and lists read only those rows — so
what an official sees is exactly what the units' rows say, also after a reorganisation, and the
generator writes the same rows as the service."""

import datetime as dt

from congso.accounts.models import Role
from congso.accounts.tests.factories import PositionFactory
from congso.catalog.models import Procedure
from congso.demo import history
from congso.onestop import services
from congso.onestop.models import Dossier, DossierAccess, Step
from congso.org.services import retire_unit

from .conftest import monday_morning


def _expected() -> set[tuple[int, int]]:
    """Every (dossier, unit) the dossiers and their steps name (the migration's backfill)."""
    pairs = set(Dossier.objects.values_list("pk", "receiving_unit_id"))
    pairs |= set(Dossier.objects.values_list("pk", "current_unit_id"))
    return pairs | set(Step.objects.values_list("dossier_id", "unit_id"))


def test_received_routed_and_reorganised_dossiers_are_seen_through_their_access_rows(
    demo, intake_for
):
    desk = demo["people"]["motcua.nghilong"]
    old, new = demo["units"]["Xã Nghi Long"], demo["units"]["Xã Nghi Mỹ"]
    dossier = services.receive_at_desk(
        desk, intake_for(Procedure.objects.get(code="1.004873"), old), now=monday_morning()
    )
    dossier = services.transition(dossier, "start", actor=desk, now=monday_morning())
    assert set(DossierAccess.objects.values_list("dossier_id", "unit_id")) == _expected()
    other = PositionFactory(unit=new, role=Role.SPECIALIST).user
    assert not services.visible_dossiers(other).filter(pk=dossier.pk).exists()
    leader = demo["people"]["lanhdao.nghiloc"]  # the district sees its communes' dossiers
    assert services.visible_dossiers(leader).filter(pk=dossier.pk).exists()
    retire_unit(old, on=dt.date(2026, 6, 30), successor=new)
    other = type(other).objects.get(pk=other.pk)  # a new request: nothing read is cached
    assert services.visible_dossiers(other).filter(pk=dossier.pk).exists()
    # an official who files a dossier of their own sees it, wherever it is handled
    far = PositionFactory(unit=demo["units"]["Xã Nghi Thạch"], role=Role.SPECIALIST).user
    assert not services.visible_dossiers(far).filter(pk=dossier.pk).exists()
    Dossier.objects.filter(pk=dossier.pk).update(applicant=far)
    far = type(far).objects.get(pk=far.pk)
    assert list(services.visible_dossiers(far)) == [dossier]


def test_the_generator_writes_the_access_rows_the_service_would(demo):
    history.generate(25, days=20, seed=11)
    assert set(DossierAccess.objects.values_list("dossier_id", "unit_id")) == _expected()
