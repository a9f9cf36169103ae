"""Exemptions the procedure's own rule grants, proved by the declaration (birth on time)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congso.catalog.fees import exemption_by_rule, validate_fee_rule

BIRTH = {
    "kind": "fixed",
    "amount": 5000,
    "free_within_days": {
        "date_field": "child.date_of_birth",
        "days": 60,
        "basis": "Luật Hộ tịch 2014, Điều 11",
    },
}
FILED = dt.date(2026, 3, 5)


def _born(day: dt.date) -> dict:
    return {"child": {"date_of_birth": day.isoformat()}}


def test_registering_within_sixty_days_is_free_with_its_legal_basis():
    ground = exemption_by_rule(BIRTH, _born(FILED - dt.timedelta(days=60)), FILED)
    assert ground == "Luật Hộ tịch 2014, Điều 11"


def test_the_sixty_first_day_is_late_and_pays():
    assert exemption_by_rule(BIRTH, _born(FILED - dt.timedelta(days=61)), FILED) is None


@pytest.mark.parametrize("answers", [{}, {"child": {}}, {"child": {"date_of_birth": "x"}}, None])
def test_no_date_proves_nothing(answers):
    assert exemption_by_rule(BIRTH, answers, FILED) is None


def test_a_birth_in_the_future_proves_nothing():
    assert exemption_by_rule(BIRTH, _born(FILED + dt.timedelta(days=1)), FILED) is None


def test_a_rule_without_it_never_exempts():
    assert exemption_by_rule({"kind": "fixed", "amount": 5000}, _born(FILED), FILED) is None


@pytest.mark.parametrize(
    "bad", [{"days": 60}, {"date_field": "child.date_of_birth", "days": -1}, "60"]
)
def test_a_bad_rule_is_refused_in_vietnamese(bad):
    with pytest.raises(ValidationError, match="Phí"):
        validate_fee_rule({"kind": "fixed", "amount": 5000, "free_within_days": bad})
