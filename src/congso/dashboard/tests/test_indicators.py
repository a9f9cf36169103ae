"""Indicator formulas on hand-built figures with known answers: empty periods, everything
late, sources not available, targets and traffic lights, and the Decision 766 bands."""

from decimal import Decimal

import pytest

from congso.dashboard import index766
from congso.dashboard.indicators import BY_KEY, evaluate, evaluate_one, percent, show
from congso.onestop.facts import KEYS


def onestop(**values):
    return {**dict.fromkeys(KEYS, 0), **values}


def value(key, figures):
    return evaluate_one(BY_KEY[key], figures)


def test_on_time_rate_counts_early_and_on_time_over_finished():
    figures = {
        "onestop": onestop(finished=8, finished_early=5, finished_on_time=1, finished_late=2)
    }
    assert value("on_time_rate", figures).value == Decimal("75.0")


def test_all_late_is_zero_percent_and_red_against_no_target():
    figures = {"onestop": onestop(finished=3, finished_late=3)}
    rate = value("on_time_rate", figures)
    assert rate.value == Decimal("0.0") and rate.display == "0,0%"


def test_no_dossiers_gives_no_rate_but_is_available():
    rate = value("on_time_rate", {"onestop": onestop()})
    assert rate.available and rate.value is None and rate.display == "—"
    assert rate.status == "none"


def test_a_source_not_available_is_never_zero():
    rate = value("online_payment_rate", {"onestop": onestop(received=10), "payments": None})
    assert not rate.available and rate.display == "không có số liệu"
    assert value("people_trained", {}).display == "không có số liệu"


def test_a_provider_missing_a_contract_key_is_not_available():
    assert not value("online_payment_rate", {"payments": {"paid_online": 3}}).available


@pytest.mark.parametrize(
    ("received", "online", "status"),
    [(10, 10, "green"), (100, 95, "amber"), (100, 90, "amber"), (100, 89, "red")],
)
def test_traffic_light_against_the_seed_target(received, online, status):
    rate = value(
        "online_filing_rate", {"onestop": onestop(received=received, received_online=online)}
    )
    assert rate.status == status


def test_fully_online_target_is_half():
    rate = value("fully_online_share", {"onestop": onestop(received=4, received_fully_online=2)})
    assert rate.value == 50 and rate.status == "green"


def test_every_section_formula():
    figures = {
        "onestop": onestop(
            received=4,
            finished=4,
            finished_early=3,
            finished_late=1,
            documents=4,
            documents_digitised=3,
            documents_reused=1,
            dossiers_digitised=3,
            dossiers_reused=1,
        ),
        "payments": {"fee_dossiers": 4, "fee_paid_online": 1, "amount_paid": 0, "refunds": 0},
        "feedback": {
            "ratings": 10,
            "ratings_very_satisfied": 6,
            "ratings_satisfied": 3,
            "ratings_unsatisfied": 1,
            "complaints": 5,
            "complaints_answered": 3,
            "complaints_answered_on_time": 2,
            "complaints_overdue": 1,
            "complaints_evaluated": 2,
            "complaints_satisfied": 1,
            "dossiers_dissatisfied": 1,
        },
        "documents": {
            "outgoing_issued": 8,
            "outgoing_electronic": 6,
            "outgoing_signed": 4,
            "incoming_received": 10,
            "incoming_done": 9,
            "incoming_done_on_time": 6,
            "incoming_overdue": 1,
        },
        "signing": {
            "officials": 40,
            "officials_with_certificate": 30,
            "units": 5,
            "units_with_certificate": 5,
        },
        "meetings": {
            "communes": 4,
            "communes_with_working_endpoint": 3,
            "meetings_held": 2,
            "attendance_expected": 8,
            "attendance_present": 6,
            "tasks_due": 5,
            "tasks_done_on_time": 4,
        },
        "ict": {
            "computers": 30,
            "officials_at_units": 40,
            "units": 4,
            "units_ipv6_ready": 1,
            "it_staff": 2,
            "training_hours": 16,
            "investment_planned": 7_000_000,
            "investment_spent": 6_250_000,
        },
    }
    got = {v.key: v for v in evaluate(figures)}
    expected = {
        "digitisation_rate": Decimal("75.0"),
        "reuse_rate": Decimal("25.0"),
        "documents_digitised_share": Decimal("75.0"),
        "online_payment_rate": Decimal("25.0"),
        # 100% − (25% late + 25% dissatisfied): portal formula 5.4
        "satisfaction_rate": Decimal("50.0"),
        "complaints_on_time_rate": Decimal("50.0"),
        # (5 − 1 unsatisfied − 1 overdue) / 5: portal formula 5.3
        "complaints_satisfaction_rate": Decimal("60.0"),
        "outgoing_electronic_share": Decimal("75.0"),
        "outgoing_signed_share": Decimal("50.0"),
        "incoming_on_time_rate": Decimal("60.0"),
        "officials_certificate_share": Decimal("75.0"),
        "units_certificate_share": Decimal("100.0"),
        "endpoints_working_share": Decimal("75.0"),
        "attendance_rate": Decimal("75.0"),
        "tasks_on_time_rate": Decimal("80.0"),
        "computers_per_official": Decimal("0.75"),
        "ipv6_share": Decimal("25.0"),
    }
    assert {key: got[key].value for key in expected} == expected
    assert got["investment_spent"].display == "6.250.000 đ"
    assert got["units_certificate_share"].status == "green"
    assert not got["people_trained"].available


def test_percent_rounds_half_up():
    assert percent(2, 3) == Decimal("66.7") and percent(1, 8) == Decimal("12.5")
    assert show("count", 12345) == "12.345"


CONFIG = {
    "verified": False,
    "groups": [
        {
            "key": "timeliness",
            "label": "T",
            "points": 20,
            "criteria": [{"indicator": "on_time_rate", "label": "x", "points": 20}],
        },
        {
            "key": "online",
            "label": "O",
            "points": 22,
            "criteria": [
                {"indicator": "online_filing_rate", "label": "y", "points": 12, "threshold": 50},
                {"indicator": "online_payment_rate", "label": "z", "points": 10, "threshold": 80},
            ],
        },
    ],
}


@pytest.mark.parametrize(
    ("early", "online", "score"),
    [(100, 6, "32.00"), (95, 6, "31.00"), (94, 3, "26.00"), (0, 5, "12.00"), (50, 0, "10.00")],
)
def test_766_scores_proportionally_up_to_the_threshold(early, online, score):
    """Decision 766 as the portal scores it: points × min(value, threshold) / threshold — e.g.
    full points from 50% online filing (portal formula 3.3)."""
    figures = {
        "onestop": onestop(
            finished=100, finished_early=early, finished_late=100 - early,
            received=10, received_online=online,
        ),
        "payments": None,
    }  # fmt: skip
    index = index766.compute(evaluate(figures), CONFIG, figures=figures)
    assert index.score == Decimal(score) and index.points == 42
    assert index.assessed == 32  # the payments source is missing: reported, scores nothing
    payment = index.groups[1].criteria[1]
    assert not payment.available and payment.score == 0
    on_time = index.groups[0].criteria[0]
    assert (on_time.numerator, on_time.denominator) == (early, 100)


def test_a_criterion_with_nothing_to_judge_scores_full_points():
    figures = {"onestop": onestop(), "payments": {"fee_dossiers": 0, "fee_paid_online": 0}}
    index = index766.compute(evaluate(figures), CONFIG, figures=figures)
    assert index.score == 42


def test_shipped_766_configuration_totals_100_points_per_group():
    config = index766.configuration()
    assert [g["points"] for g in config["groups"]] == [18, 20, 22, 22, 18]
    for group in config["groups"]:
        assert sum(c["points"] for c in group["criteria"]) == group["points"]
    assert config["verified"] is False
    for criterion in (c for g in config["groups"] for c in g["criteria"]):
        assert criterion["formula"] and criterion["basis"] and criterion["portal"]
        assert 0 < criterion["threshold"] <= 100
