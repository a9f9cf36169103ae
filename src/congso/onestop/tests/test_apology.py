"""The apology and new date (form 04): by the head or deputy head of the agency whose step is
running late or of the deciding agency, whoever's step is active, in any open state once the
dossier is late or due within one working day, once; the new date sits beside the original and
timeliness is still judged against the original.

Legal basis: Circular 01/2018/TT-VPCP form 04 (apology and new date); Decree 61/2018/NĐ-CP on
overdue dossiers (the agency that caused the delay apologises in writing and sets a new date),
kept by Decree 118/2025/NĐ-CP."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congso.accounts.models import Role
from congso.accounts.tests.factories import OfficialFactory, PositionFactory
from congso.catalog.models import Procedure
from congso.onestop import results, services
from congso.onestop.lifecycle import ORGAN_HEAD, State

from .conftest import VN, monday_morning

pytestmark = pytest.mark.slow


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=VN)


@pytest.fixture
def at_specialist(demo, intake_for):
    """Xã Nghi Long, 3 working days, received Monday 09/03/2026 08:00 (due Thursday 12/03
    17:00), at the specialist's step since 08:10."""
    desk = demo["people"]["motcua.nghilong"]
    procedure = Procedure.objects.get(code="1.004873")
    intake = intake_for(procedure, demo["units"]["Xã Nghi Long"])
    dossier = services.receive_at_desk(desk, intake, now=monday_morning())
    return services.transition(dossier, "start", actor=desk, now=at(9, 8, 10))


def _apologise(dossier, who, when, new_due):
    return services.transition(
        dossier,
        "apologise",
        actor=who,
        note="Chờ xác minh nơi cư trú",
        new_due_at=new_due,
        now=when,
    )


def test_not_yet_about_to_be_late_is_refused(demo, at_specialist):
    leader = demo["people"]["lanhdao.nghilong"]
    with pytest.raises(ValidationError, match="quá hạn hoặc còn không quá một ngày làm việc"):
        _apologise(at_specialist, leader, at(10, 9), at(16, 17))
    at_specialist.refresh_from_db()
    assert not at_specialist.rescheduled and at_specialist.apologised_at is None


def test_the_deciding_agencys_head_apologises_while_the_specialist_holds_it(demo, at_specialist):
    people = demo["people"]
    leader = people["lanhdao.nghilong"]
    assert services.actors_for(leader, at_specialist) == {ORGAN_HEAD}
    apologised = _apologise(at_specialist, leader, at(12, 9), at(17, 17))  # due within a day
    assert apologised.rescheduled and apologised.apologised_at == at(12, 9)
    assert apologised.apology_due_at == apologised.due_at == at(17, 17)
    assert apologised.original_due_at == apologised.statutory_due_at == at(12, 17)
    event = apologised.events.last()
    assert event.transition == "apologise"
    assert dt.datetime.fromisoformat(event.data["original_due_at"]) == at(12, 17)


def test_a_deputy_head_may_too_but_not_the_specialist_or_another_commune(demo, at_specialist):
    people, units = demo["people"], demo["units"]
    deputy = OfficialFactory()
    PositionFactory(user=deputy, unit=units["Xã Nghi Long"], role=Role.DEPUTY_LEADER)
    assert ORGAN_HEAD in services.actors_for(deputy, at_specialist)
    for outsider in (people["congchuc.nghilong"], people["lanhdao.nghiloc"]):
        with pytest.raises(PermissionDenied):
            _apologise(at_specialist, outsider, at(12, 9), at(17, 17))
    assert _apologise(at_specialist, deputy, at(12, 9), at(17, 17)).rescheduled


def test_once_only_and_the_new_date_must_be_later(demo, at_specialist):
    leader = demo["people"]["lanhdao.nghilong"]
    with pytest.raises(ValidationError, match="Ngày hẹn mới phải sau"):
        _apologise(at_specialist, leader, at(12, 9), at(12, 12))
    apologised = _apologise(at_specialist, leader, at(12, 9), at(17, 17))
    with pytest.raises(ValidationError, match="một lần"):
        _apologise(apologised, leader, at(13, 9), at(20, 17))


def test_while_waiting_for_the_applicant_too(demo, at_specialist):
    people = demo["people"]
    desk, leader = people["motcua.nghilong"], people["lanhdao.nghilong"]
    waiting = services.transition(
        at_specialist,
        "request_supplement",
        actor=desk,
        items=["Tờ khai"],
        note="Thiếu",
        now=at(12, 9),
    )
    apologised = _apologise(waiting, leader, at(13, 9), at(19, 17))
    assert apologised.state == State.SUPPLEMENT_REQUESTED and apologised.rescheduled
    # the clock, when it resumes, keeps the working time left before the new date
    resumed = services.transition(
        apologised,
        "supplement",
        actor=desk,
        documents=[services.ReceivedDocument(required_document_id=None, name="Tờ khai")],
        now=at(16, 9),
    )
    assert resumed.due_at > at(19, 17) and resumed.original_due_at == at(12, 17)
    assert resumed.statutory_due_at < resumed.due_at


def test_finished_after_the_original_but_before_the_new_date_is_late(demo, at_specialist):
    people = demo["people"]
    apologised = _apologise(at_specialist, people["lanhdao.nghilong"], at(12, 9), at(17, 17))
    forwarded = services.transition(
        apologised, "forward", actor=people["congchuc.nghilong"], now=at(13, 9)
    )
    results.draft(forwarded, people["lanhdao.nghilong"], when=at(13, 9))
    approved = services.transition(
        forwarded, "approve", actor=people["lanhdao.nghilong"], now=at(13, 10)
    )
    assert approved.finished_at < approved.apology_due_at
    assert approved.timeliness == "late"
