"""Reorganisation of units (two tiers since 1 July 2025; Resolution 190/2025/QH15 and the
Resolutions of the National Assembly Standing Committee on merging communes): a merged unit's
open dossiers continue at its successor with their codes and history; a retirement dated
before the unit's later activity is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congso.accounts.models import Role
from congso.accounts.tests.factories import PositionFactory
from congso.catalog.models import Procedure
from congso.onestop import services
from congso.org.services import retire_unit

from .conftest import monday_morning


@pytest.fixture
def open_dossier(demo, intake_for):
    desk = demo["people"]["motcua.nghilong"]
    intake = intake_for(Procedure.objects.get(code="1.004873"), demo["units"]["Xã Nghi Long"])
    dossier = services.receive_at_desk(desk, intake, now=monday_morning())
    return services.transition(dossier, "start", actor=desk, now=monday_morning())


def test_a_merged_communes_open_dossier_continues_at_the_successor(demo, open_dossier):
    old, new = demo["units"]["Xã Nghi Long"], demo["units"]["Xã Nghi Mỹ"]
    code, events = open_dossier.code, open_dossier.events.count()
    retire_unit(old, on=dt.date(2026, 6, 30), successor=new)
    open_dossier.refresh_from_db()
    assert open_dossier.code == code and open_dossier.events.count() == events
    assert open_dossier.receiving_unit == new and open_dossier.current_unit == new
    assert not open_dossier.steps.exclude(state="done").exclude(unit=new).exists()
    assert open_dossier.hand_overs.filter(to_unit=old).exists()  # history kept
    # the successor's officials take it from here
    clerk = PositionFactory(unit=new, role=Role.SPECIALIST).user
    assert services.actors_for(clerk, open_dossier) == {"specialist"}


def test_a_retirement_before_later_activity_is_refused(demo, open_dossier):
    old, new = demo["units"]["Xã Nghi Long"], demo["units"]["Xã Nghi Mỹ"]
    with pytest.raises(ValidationError, match="sau ngày 01/03/2026"):
        retire_unit(old, on=dt.date(2026, 3, 1), successor=new)
    old.refresh_from_db()
    open_dossier.refresh_from_db()
    assert not old.is_retired and open_dossier.receiving_unit == old
