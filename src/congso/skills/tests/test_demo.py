"""The demo programme: the Nghi Long pilot, this year's sessions, fast and idempotent."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from congso.demo import accounts as accounts_demo
from congso.demo import org as org_demo
from congso.demo import skills as demo
from congso.skills import figures
from congso.skills.models import Programme, Session, Team

pytestmark = pytest.mark.django_db


def test_the_pilot_and_this_year_in_well_under_five_seconds():
    units = org_demo.load()
    loaded = {"units": units, "people": accounts_demo.load(units)}
    began = time.monotonic()
    demo.load(loaded)
    assert time.monotonic() - began < 5
    pilot = Programme.objects.get(name=demo.PILOT)
    assert pilot.unit == units["Xã Nghi Long"]
    assert Team.objects.get(unit=units["Xã Nghi Long"]).members.count() == 6
    assert Session.objects.filter(date__gt=timezone.localdate()).count() == 0
    today = timezone.localdate()
    this_year = figures.provide([u.pk for u in units.values()], dt.date(today.year, 1, 1), today)
    assert this_year["people_trained"] > 0 and this_year["adult_population"] > 100_000
    demo.load(loaded)
    assert Programme.objects.filter(name=demo.PILOT).count() == 1
