"""Rating a dossier: once, by its applicant (or at the desk), after the result."""

import pytest
from django.core.exceptions import ValidationError

from congso.core.models import AuditRecord
from congso.feedback import services
from congso.feedback.models import Overall, Rating, RatingChannel
from congso.onestop.lifecycle import State


def test_applicant_rates_a_returned_dossier_once(citizen, make_dossier):
    dossier = make_dossier(citizen)
    rating = services.rate(
        dossier,
        actor=citizen,
        overall=Overall.SATISFIED,
        scores={"attitude": 2, "time": 1, "cost": "0"},
        comment=" Nhanh gọn ",
    )
    assert rating.channel == RatingChannel.ONLINE
    assert rating.scores == {"attitude": 2, "time": 1, "cost": 0}
    assert rating.points == 3 and rating.comment == "Nhanh gọn"
    assert rating.unit_id == dossier.receiving_unit_id and rating.dossier_code == dossier.code
    assert AuditRecord.objects.filter(action="feedback.rate", object_id=str(rating.pk)).exists()
    dossier.refresh_from_db()
    with pytest.raises(ValidationError, match="đã được đánh giá"):
        services.rate(dossier, actor=citizen, overall=Overall.UNSATISFIED)
    assert Rating.objects.count() == 1


def test_processed_dossier_can_be_rated(citizen, make_dossier):
    assert services.rate(
        make_dossier(citizen, state=State.PROCESSED), actor=citizen, overall="satisfied"
    )


@pytest.mark.parametrize("state", [State.RECEIVED, State.PROCESSING, State.WITHDRAWN])
def test_unfinished_dossier_cannot_be_rated(citizen, make_dossier, state):
    with pytest.raises(ValidationError, match="đã có kết quả"):
        services.rate(make_dossier(citizen, state=state), actor=citizen, overall="satisfied")
    assert not Rating.objects.exists()


def test_someone_else_cannot_rate(citizen, other_citizen, make_dossier, officials):
    dossier = make_dossier(citizen)
    for intruder in (other_citizen, officials["specialist_a"], officials["specialist_b"]):
        with pytest.raises(ValidationError, match="Chỉ người nộp"):
            services.rate(dossier, actor=intruder, overall="satisfied")
    assert not Rating.objects.exists()


def test_desk_officer_enters_the_counter_rating(citizen, make_dossier, officials):
    rating = services.rate(make_dossier(None), actor=officials["desk_a"], overall="very_satisfied")
    assert rating.channel == RatingChannel.DESK and rating.rated_by == officials["desk_a"]


@pytest.mark.parametrize(
    ("overall", "scores", "field"),
    [
        ("", None, "overall"),
        ("great", None, "overall"),
        ("satisfied", {"attitude": 3}, "scores"),
        ("satisfied", {"attitude": "abc"}, "scores"),
        ("satisfied", {"color": 1}, "scores"),
    ],
)
def test_bad_input_saves_nothing(citizen, make_dossier, overall, scores, field):
    with pytest.raises(ValidationError) as error:
        services.rate(make_dossier(citizen), actor=citizen, overall=overall, scores=scores)
    assert field in error.value.message_dict
    assert not Rating.objects.exists()
