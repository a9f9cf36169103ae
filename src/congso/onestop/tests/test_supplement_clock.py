"""The supplement clock: a request stops the dossier's clock and its step's, the answer resumes
them (or restarts them where the procedure version says so), the history keeps each stop and
start, one request is the rule and a second one counts the dossier late.

Legal basis: Decree 118/2025/NĐ-CP (the desk guides the applicant completely, once; the time
limit runs from a complete dossier — the waiting is not counted, as in Decree 61/2018/NĐ-CP and
the national portal's on-time formula); Circular 01/2018/TT-VPCP form 02 (supplement request)
and form 06 (steps inside the procedure's time)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congso.catalog.models import Procedure
from congso.onestop import results, services
from congso.onestop.lifecycle import State
from congso.onestop.models import Step

from .conftest import VN, monday_morning


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=VN)


@pytest.fixture
def marriage_status(demo):
    """3 working days; steps: desk 0.5, specialist 1.5, leader 0.5, desk 0.5 day."""
    return Procedure.objects.get(code="1.004873")


@pytest.fixture
def started(demo, marriage_status, intake_for):
    """Received Monday 09/03/2026 08:00 (due Thursday 12/03 17:00), started at 08:10."""
    desk = demo["people"]["motcua.nghilong"]
    intake = intake_for(marriage_status, demo["units"]["Xã Nghi Long"])
    dossier = services.receive_at_desk(desk, intake, now=monday_morning())
    return services.transition(dossier, "start", actor=desk, now=at(9, 8, 10))


def _ask(dossier, who, when, **extra):
    return services.transition(
        dossier,
        "request_supplement",
        actor=who,
        items=["Tờ khai"],
        note="Thiếu chữ ký",
        now=when,
        **extra,
    )


def _answer(dossier, who, when):
    documents = [services.ReceivedDocument(required_document_id=None, name="Tờ khai có chữ ký")]
    return services.transition(dossier, "supplement", actor=who, documents=documents, now=when)


def _specialist_step(dossier) -> Step:
    return dossier.steps.get(actor="specialist")


def test_received_dossier_keeps_its_first_due_instant_as_the_original(started):
    assert started.due_at == started.original_due_at == started.statutory_due_at == at(12, 17)
    # the specialist's 1.5 days from 08:10 end Wednesday 11:00, inside the dossier's time
    assert _specialist_step(started).due_at == at(11, 11)


def test_resume_subtracts_the_waiting_time_from_dossier_and_step(demo, started):
    desk = demo["people"]["motcua.nghilong"]
    stopped = _ask(started, desk, at(11, 9, 10))  # Wednesday: 13 h 50 of office time left
    assert stopped.state == State.SUPPLEMENT_REQUESTED
    assert stopped.clock_stopped_at == at(11, 9, 10) and stopped.due_at == at(12, 17)
    resumed = _answer(stopped, desk, at(13, 9, 10))  # Friday
    assert resumed.clock_stopped_at is None and resumed.state == State.PROCESSING
    assert resumed.due_at == resumed.statutory_due_at == at(16, 17)  # Friday 5 h 50 + Monday
    assert resumed.original_due_at == at(12, 17)  # never moved
    # the step had 1 h 50 left (09:10–11:00 Wednesday): Friday 11:00
    assert _specialist_step(resumed).due_at == at(13, 11)
    clock = [e.data.get("clock") for e in resumed.events.all()]
    assert clock == [None, None, "stopped", "resumed"]


def test_restart_where_the_procedure_version_says_so(demo, started):
    started.version.supplement_restarts_clock = True
    started.version.save()
    desk = demo["people"]["motcua.nghilong"]
    resumed = _answer(_ask(started, desk, at(11, 9, 10)), desk, at(13, 9, 10))
    assert resumed.due_at == at(18, 17)  # three full working days from Friday
    assert resumed.original_due_at == at(12, 17)
    assert resumed.events.last().data["clock"] == "restarted"


def test_resume_is_the_default_for_a_new_version(demo):
    from congso.catalog.models import ProcedureVersion

    assert ProcedureVersion._meta.get_field("supplement_restarts_clock").default is False


def test_a_second_request_needs_a_reason_and_counts_the_dossier_late(demo, started):
    desk = demo["people"]["motcua.nghilong"]
    first = _answer(_ask(started, desk, at(9, 9)), desk, at(9, 10))
    assert first.supplement_count == 1
    with pytest.raises(ValidationError, match="yêu cầu lần nữa phải nêu lý do"):
        _ask(first, desk, at(9, 11))
    first.refresh_from_db()
    assert first.state == State.PROCESSING and first.supplements.count() == 1
    second = _ask(first, desk, at(9, 11), repeat_reason="Bỏ sót giấy xác nhận cư trú")
    assert second.supplement_count == 2
    assert second.supplements.last().repeat_reason == "Bỏ sót giấy xác nhận cư trú"
    second = _answer(second, desk, at(9, 14))
    # finished well before the due date, yet late by the rule
    people = demo["people"]
    second = services.transition(
        second, "forward", actor=people["congchuc.nghilong"], now=at(9, 15)
    )
    results.draft(second, people["lanhdao.nghilong"], when=at(9, 15))  # nothing unseen is signed
    approved = services.transition(
        second, "approve", actor=people["lanhdao.nghilong"], now=at(9, 16)
    )
    assert approved.timeliness == "late"


def test_no_step_ends_after_the_dossier_and_the_last_ends_at_its_due(demo, started):
    people = demo["people"]
    # the specialist forwards on the last afternoon: the leader's half day cannot run past
    # the dossier's time less the desk's half day
    forwarded = services.transition(
        started, "forward", actor=people["congchuc.nghilong"], now=at(12, 14)
    )
    leader_step = forwarded.steps.get(actor="leader")
    assert leader_step.due_at == at(12, 11)
    results.draft(forwarded, people["lanhdao.nghilong"], when=at(12, 14))
    approved = services.transition(
        forwarded, "approve", actor=people["lanhdao.nghilong"], now=at(12, 15)
    )
    last = approved.steps.order_by("position").last()
    assert last.state == "active" and last.due_at == approved.due_at == at(12, 17)
    assert all(s.due_at <= approved.due_at for s in approved.steps.exclude(due_at=None))


def test_the_clock_history_judges_a_past_cut_off_by_the_clock_then(demo, started):
    """Each change of the clock is one ``ClockChange`` written with it (receipt, the stop, the
    resume; moving to the next step writes none), and a cut-off while the dossier waited is
    judged waiting — the portal's formula 2.1 judges a period's end by the state then — though
    the clock has run again since (``timeliness.as_at``)."""
    from congso.onestop import timeliness
    from congso.onestop.models import ClockChange

    desk = demo["people"]["motcua.nghilong"]
    resumed = _answer(_ask(started, desk, at(11, 9, 10)), desk, at(13, 9, 10))
    changes = ClockChange.objects.filter(dossier=resumed)
    assert [(c.at, c.stopped_at, c.statutory_due_at, c.supplement_count) for c in changes] == [
        (monday_morning(), None, at(12, 17), 0),
        (at(11, 9, 10), at(11, 9, 10), at(12, 17), 1),
        (at(13, 9, 10), None, at(16, 17), 1),
    ]
    ((clock, _extra),) = timeliness.clocks_of(type(resumed).objects.filter(pk=resumed.pk))
    assert timeliness.classify(clock, at(12, 18)) == timeliness.Class.WAITING
    assert timeliness.classify(clock, at(13, 12)) == timeliness.Class.WITHIN
    # the clock now, without its history, cannot say it (within time against the moved due)
    now_only = timeliness.clock_of(resumed)
    assert timeliness.classify(now_only, at(12, 18)) == timeliness.Class.WITHIN
