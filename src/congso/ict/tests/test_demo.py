"""The demo ICT register: over 6 billion đồng invested 2015–2020 (the seed), fast, idempotent."""

import datetime as dt
import time

import pytest
from django.db.models import Sum

from congso.demo import accounts as accounts_demo
from congso.demo import ict as demo
from congso.demo import org as org_demo
from congso.ict import figures
from congso.ict.models import Equipment, Investment

pytestmark = pytest.mark.django_db


def test_the_seed_investment_and_the_equipment():
    units = org_demo.load()
    loaded = {"units": units, "people": accounts_demo.load(units)}
    began = time.monotonic()
    demo.load(loaded)
    assert time.monotonic() - began < 5
    spent = Investment.objects.filter(year__range=(2015, 2020)).aggregate(s=Sum("spent"))["s"]
    assert spent > 6_000_000_000
    assert Equipment.objects.count() == 24  # the district and its 23 communes
    got = figures.provide(
        [u.pk for u in units.values()], dt.date(2015, 1, 1), dt.date(2020, 12, 31)
    )
    assert got["investment_spent"] == spent
    assert got["officials_at_units"] >= 8
    demo.load(loaded)
    assert Investment.objects.filter(year=2015).count() == 1
