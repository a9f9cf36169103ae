"""The ``skills`` provider on a hand-built data set with known answers."""

import datetime as dt

import pytest
from django.utils import timezone

from congso.core import figures as dashboard
from congso.skills import figures, lessons, services
from congso.skills.models import AdultPopulation, Completion

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(record, tree, year_start):
    record("commune_a", "internet", 10)
    record("commune_a", "email", 7, day=year_start + dt.timedelta(days=1))
    record("commune_b", "internet", 5)
    record("commune_b", "data_safety", 4, day=year_start + dt.timedelta(days=2))
    year = year_start.year
    AdultPopulation.objects.create(unit=tree["commune_a"], year=year - 1, count=900)
    AdultPopulation.objects.create(unit=tree["commune_a"], year=year, count=1000)
    AdultPopulation.objects.create(unit=tree["commune_b"], year=year - 1, count=500)
    AdultPopulation.objects.create(unit=tree["commune_b"], year=year + 1, count=9999)
    at = timezone.make_aware(dt.datetime.combine(year_start, dt.time(9)))
    for n, unit in enumerate([tree["commune_a"], tree["commune_a"], tree["commune_b"], None]):
        Completion.objects.create(
            topic="email", completed_at=at, session_key=f"s{n}", unit=unit, score=4, total=4
        )
    return tree


def _ids(*units):
    return [unit.pk for unit in units]


def test_the_district_sees_both_communes(data, year_start):
    tree = data
    end = dt.date(year_start.year, 12, 31)
    got = dashboard.figures("skills", _ids(*tree.values()), year_start, end)
    assert got == {
        "people_trained": 26,
        "people_trained_internet": 15,
        "people_trained_email": 7,
        "people_trained_shopping": 0,
        "people_trained_payment": 0,
        "people_trained_public_services": 0,
        "people_trained_data_safety": 4,
        # commune A this year 1000; commune B's latest up to this year is last year's 500
        "adult_population": 1500,
        # the completion without a commune belongs to no unit
        "lessons_completed": 3,
        "sessions": 4,
    }


def test_one_commune_and_inclusive_bounds(data, year_start):
    tree = data
    second = year_start + dt.timedelta(days=1)
    got = figures.provide(_ids(tree["commune_a"]), second, second)
    assert got["people_trained"] == 7 and got["sessions"] == 1
    assert got["people_trained_email"] == 7 and got["people_trained_internet"] == 0
    assert got["lessons_completed"] == 0


def test_an_empty_period_is_zero_not_missing(data):
    got = figures.provide(_ids(data["commune_a"]), dt.date(2001, 1, 1), dt.date(2001, 12, 31))
    assert got["people_trained"] == 0 and got["sessions"] == 0
    assert got["adult_population"] == 0


def test_a_quiz_passed_on_the_site_feeds_the_figure(tree):
    quiz = lessons.lesson("payment").quiz
    right = {f"q{n}": str(item["answer"]) for n, item in enumerate(quiz)}
    services.record_completion(
        topic="payment", result=lessons.score(quiz, right), session_key="x", unit=tree["commune_b"]
    )
    today = timezone.localdate()
    assert figures.provide(_ids(tree["commune_b"]), today, today)["lessons_completed"] == 1
