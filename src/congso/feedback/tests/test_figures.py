"""The dashboard's ``feedback`` source on a small hand-built data set."""

import datetime as dt

import pytest

from congso.core import figures as dashboard
from congso.feedback import services
from congso.feedback.figures import KEYS
from congso.feedback.models import Overall

from .conftest import VN

MARCH_9 = dt.datetime(2026, 3, 9, 9, tzinfo=VN)


@pytest.fixture
def data_set(citizen, make_dossier, tree, officials):
    """Commune A: three ratings in March (very, satisfied, unsatisfied), one in February;
    complaints in March: one answered on time, one answered late, one still open and overdue at
    the end of March, one withdrawn; a dossier complained about is also rated unsatisfied.
    Commune B: one rating and one complaint (outside a commune-A selection)."""
    a, b = tree["commune_a"], tree["commune_b"]
    dossiers = [make_dossier(citizen, unit=a) for _ in range(4)]
    for dossier, overall, when in zip(
        dossiers,
        [Overall.VERY_SATISFIED, Overall.SATISFIED, Overall.UNSATISFIED, Overall.SATISFIED],
        [MARCH_9, MARCH_9, MARCH_9, MARCH_9 - dt.timedelta(days=20)],
        strict=True,
    ):
        services.rate(dossier, actor=citizen, overall=overall, now=when)
    services.rate(
        make_dossier(citizen, unit=b), actor=citizen, overall=Overall.UNSATISFIED, now=MARCH_9
    )

    def complaint(unit, **fields):
        values = {"kind": "feedback", "subject": "Chủ đề", "content": "Nội dung", "unit": unit}
        values.update(fields)
        return services.file_complaint(actor=citizen, now=MARCH_9, **values)

    on_time, late = complaint(a, dossier_code=dossiers[2].code), complaint(a)
    services.act(
        on_time,
        "answer",
        actor=officials["specialist_a"],
        text="Đúng hạn",
        now=MARCH_9 + dt.timedelta(days=1),
    )
    services.act(
        late,
        "answer",
        actor=officials["specialist_a"],
        text="Trễ",
        now=late.due_at + dt.timedelta(days=1),
    )
    complaint(a, dossier_code=dossiers[0].code)  # still open: overdue after 23/3
    services.act(complaint(a), "withdraw", actor=citizen, now=MARCH_9 + dt.timedelta(hours=1))
    complaint(b)
    return tree


def test_provider_counts_march_in_commune_a(data_set):
    got = dashboard.figures(
        "feedback", [data_set["commune_a"].pk], dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )
    assert {key: got[key] for key in KEYS} == {
        "ratings": 3,
        "ratings_very_satisfied": 1,
        "ratings_satisfied": 1,
        "ratings_unsatisfied": 1,
        "complaints": 4,
        "complaints_answered": 2,
        "complaints_answered_on_time": 1,
        "complaints_overdue": 1,
    }
    # 766: the dossier rated unsatisfied is also complained about; the first one only complained
    assert got["dossiers_rated_unsatisfied"] == 1
    assert got["dossiers_complained"] == 2
    assert got["dossiers_dissatisfied"] == 2


def test_subtree_and_period_are_respected(data_set):
    district = [data_set["district"].pk, data_set["commune_a"].pk, data_set["commune_b"].pk]
    got = dashboard.figures("feedback", district, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert got["ratings"] == 4 and got["ratings_unsatisfied"] == 2 and got["complaints"] == 5
    february = dashboard.figures("feedback", district, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert february["ratings"] == 1 and february["complaints"] == 0


def test_overdue_is_counted_at_the_period_end(data_set):
    a = [data_set["commune_a"].pk]
    # on 10/3 nothing is past its deadline yet
    assert (
        dashboard.figures("feedback", a, dt.date(2026, 3, 1), dt.date(2026, 3, 10))[
            "complaints_overdue"
        ]
        == 0
    )


def test_satisfaction_drill_down_makes_the_5_3_counts(data_set, citizen):
    """Decision 766 criterion 5.3 (portal formula: received − rated unsatisfied − overdue, over
    received): the complaints behind it are listed, and their lengths give the table's counts."""
    from congso.dashboard.indicators import PARTS
    from congso.feedback.figures import satisfaction_behind
    from congso.feedback.models import Complaint

    a = data_set["commune_a"]
    answered = Complaint.objects.filter(unit=a, answered_at__isnull=False).order_by("answered_at")
    on_time = answered.first()
    services.act(
        on_time, "evaluate", actor=citizen, satisfied=False, now=MARCH_9 + dt.timedelta(days=2)
    )
    march = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    received, unsatisfied, overdue = satisfaction_behind([a.pk], *march)
    assert len(received) == 4 and unsatisfied == [on_time.code] and len(overdue) == 1
    assert set(unsatisfied + overdue) <= set(received)
    got = dashboard.figures("feedback", [a.pk], *march)
    parts = PARTS["complaints_satisfaction_rate"]({"feedback": got})
    assert parts == (len(received) - len(unsatisfied) - len(overdue), len(received)) == (2, 4)
