"""Services: the only writers, checking rights and rules, each change audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from congso.core.models import AuditRecord
from congso.skills import lessons, services
from congso.skills.models import AdultPopulation, Attendee, Completion, Session

pytestmark = pytest.mark.django_db


def test_a_session_with_its_attendance_list_is_recorded_and_audited(record):
    session = record(attendance=12, attendees=[("Nguyễn Văn A", 1960), ("Trần Thị B", None)])
    assert session.attendance == 12
    assert list(Attendee.objects.values_list("name", "birth_year")) == [
        ("Nguyễn Văn A", 1960),
        ("Trần Thị B", None),
    ]
    audit = AuditRecord.objects.get(action="skills.session.record")
    assert audit.unit_id == session.unit_id and audit.data["attendance"] == 12


def test_a_commune_official_cannot_record_for_the_neighbour(record, people, tree):
    with pytest.raises(PermissionDenied):
        record(commune="commune_a", unit=tree["commune_b"])
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"attendance": 0}, "attendance"),
        ({"attendance": 1, "attendees": [("A", 1990), ("B", 1991)]}, "attendees"),
        ({"day": dt.date(2000, 1, 1)}, "date"),
        ({"topic": "cooking"}, "topic"),
        ({"place": "  "}, "place"),
        ({"trainer": ""}, "trainer"),
    ],
)
def test_bad_sessions_are_refused_at_the_field(record, overrides, field):
    with pytest.raises(ValidationError) as refused:
        record(**overrides)
    assert field in refused.value.message_dict
    assert not Session.objects.exists()


def test_a_session_in_the_future_is_refused(record, programme):
    programme.end = timezone.localdate() + dt.timedelta(days=30)
    programme.save()
    with pytest.raises(ValidationError) as refused:
        record(day=timezone.localdate() + dt.timedelta(days=1))
    assert "date" in refused.value.message_dict


def test_programme_dates_are_checked(people, tree):
    with pytest.raises(ValidationError) as refused:
        services.create_programme(
            actor=people["leader"],
            unit=tree["district"],
            name="Sai ngày",
            start=dt.date(2025, 5, 1),
            end=dt.date(2025, 4, 1),
        )
    assert "end" in refused.value.message_dict


def test_team_members_keep_only_what_is_needed(people, tree):
    team = services.create_team(actor=people["commune_a"], unit=tree["commune_a"], name="Tổ A")
    member = services.add_member(
        actor=people["commune_a"], team=team, hamlet="Xóm 2", name="Hồ Thị C", phone="0912 345 678"
    )
    assert member.phone == "0912345678"
    with pytest.raises(ValidationError) as refused:
        services.add_member(actor=people["commune_a"], team=team, hamlet="", name="X", phone="12")
    assert set(refused.value.message_dict) == {"hamlet", "phone"}
    with pytest.raises(PermissionDenied):
        services.add_member(actor=people["commune_b"], team=team, hamlet="Xóm 1", name="Y")


def test_adult_population_is_one_row_per_commune_and_year(people, tree):
    for count in (4000, 4100):
        services.set_adult_population(
            actor=people["commune_a"], unit=tree["commune_a"], year=2025, count=count
        )
    assert list(AdultPopulation.objects.values_list("year", "count")) == [(2025, 4100)]


def _result(right: int):
    quiz = lessons.lesson("email").quiz
    answers = {f"q{n}": str(item["answer"]) for n, item in enumerate(quiz[:right])}
    return lessons.score(quiz, answers)


def test_a_passed_quiz_counts_once_per_learner(citizen, tree):
    first = services.record_completion(actor=citizen, topic="email", result=_result(4))
    again = services.record_completion(actor=citizen, topic="email", result=_result(4))
    anonymous = services.record_completion(
        topic="email", result=_result(3), session_key="abc", unit=tree["commune_a"]
    )
    assert first == again and anonymous is not None
    assert Completion.objects.count() == 2
    assert services.completed_topics(user=citizen) == {"email"}
    assert services.completed_topics(session_key="abc") == {"email"}


def test_a_failed_quiz_or_an_unknown_learner_counts_nothing():
    assert services.record_completion(topic="email", result=_result(2), session_key="k") is None
    assert services.record_completion(topic="email", result=_result(4)) is None
    assert not Completion.objects.exists()
