"""Dates the calendar refuses: no birth in the future; no marriage before the legal age (Law on
Marriage and Family 2014, art. 8: a man from full 20 years, a woman from full 18)."""

import datetime as dt

import pytest

from congso.catalog import declaration_form as df
from congso.catalog.models import Procedure

TODAY = dt.date(2026, 3, 5)


def test_age_counts_full_years():
    assert df.age_on(dt.date(2006, 3, 5), TODAY) == 20
    assert df.age_on(dt.date(2006, 3, 6), TODAY) == 19
    assert df.age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert df.age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18


SCHEMA = {
    "type": "object",
    "properties": {
        "child": {
            "type": "object",
            "properties": {"date_of_birth": {"type": "string", "format": "date", "title": "Sinh"}},
        }
    },
}


def test_a_birth_tomorrow_is_refused_today_is_fine():
    tomorrow = {"child": {"date_of_birth": "2026-03-06"}}
    assert df.errors_for(SCHEMA, tomorrow, today=TODAY) == {
        "child.date_of_birth": ["Sinh không được sau ngày hôm nay."]
    }
    assert df.errors_for(SCHEMA, {"child": {"date_of_birth": "2026-03-05"}}, today=TODAY) == {}


@pytest.fixture
def marriage(db):
    from congso.demo.loaders import load_all

    load_all()
    return Procedure.objects.get(code="1.000894").current_version().form_schema


def _couple(husband_born: str, wife_born: str) -> dict:
    return {
        "husband": {"date_of_birth": husband_born},
        "wife": {"date_of_birth": wife_born},
    }


def test_the_demo_marriage_form_holds_the_legal_ages(marriage):
    problems = dict(df.date_problems(marriage, _couple("2006-03-06", "2008-03-06"), TODAY))
    assert problems == {
        "husband.date_of_birth": "Chưa đủ 20 tuổi theo quy định (Ngày, tháng, năm sinh: 06/03/2006).",
        "wife.date_of_birth": "Chưa đủ 18 tuổi theo quy định (Ngày, tháng, năm sinh: 06/03/2008).",
    }


def test_on_the_birthday_the_age_is_reached(marriage):
    assert df.date_problems(marriage, _couple("2006-03-05", "2008-03-05"), TODAY) == []
