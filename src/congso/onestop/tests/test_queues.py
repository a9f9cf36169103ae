"""The work queues as query functions: which dossier waits for whom, and the search."""

import datetime as dt

import pytest

from congso.catalog.models import Procedure
from congso.onestop import queues, services

from .conftest import monday_morning


@pytest.fixture
def birth(demo):
    return Procedure.objects.get(code="1.001193")


def _codes(user, key, now):
    return set(queues.queue(user, key, now=now).values_list("code", flat=True))


def test_a_dossier_moves_from_queue_to_queue(demo, birth, intake_for):
    units, people = demo["units"], demo["people"]
    desk, clerk, leader = (
        people["motcua.nghilong"],
        people["congchuc.nghilong"],
        people["lanhdao.nghilong"],
    )
    now = monday_morning()
    dossier = services.receive_at_desk(desk, intake_for(birth, units["Xã Nghi Long"]), now=now)
    code = dossier.code
    assert code in _codes(desk, "to_hand_over", now)
    assert code not in _codes(clerk, "to_process", now)

    dossier = services.transition(dossier, "start", actor=desk, now=now)
    assert code not in _codes(desk, "to_hand_over", now)
    assert code in _codes(clerk, "to_process", now)
    assert code not in _codes(leader, "to_approve", now)

    dossier = services.transition(
        dossier, "request_supplement", actor=clerk, items=["Giấy chứng sinh"], note="Mờ", now=now
    )
    assert code in _codes(desk, "supplement", now) and code in _codes(clerk, "supplement", now)
    assert code not in _codes(clerk, "to_process", now)
    dossier = services.transition(
        dossier,
        "supplement",
        actor=desk,
        documents=[services.ReceivedDocument(required_document_id=None, name="Giấy chứng sinh")],
        now=now,
    )
    assert code in _codes(clerk, "to_process", now)


def test_specialist_does_not_see_a_step_assigned_to_a_colleague(
    demo, birth, intake_for, official_at
):
    from congso.accounts.models import Role

    units, people = demo["units"], demo["people"]
    commune = units["Xã Nghi Long"]
    desk, clerk = people["motcua.nghilong"], people["congchuc.nghilong"]
    colleague = official_at(commune, Role.SPECIALIST)
    now = monday_morning()
    dossier = services.receive_at_desk(desk, intake_for(birth, commune), now=now)
    services.transition(dossier, "start", actor=desk, assignee=colleague.pk, now=now)
    assert dossier.code in _codes(colleague, "to_process", now)
    assert dossier.code not in _codes(clerk, "to_process", now)


def test_due_soon_and_overdue_follow_the_clock(demo, intake_for):
    units, people = demo["units"], demo["people"]
    desk = people["motcua.nghilong"]
    procedure = Procedure.objects.get(code="1.004873")  # 3 working days
    now = monday_morning()
    dossier = services.receive_at_desk(desk, intake_for(procedure, units["Xã Nghi Long"]), now=now)
    assert dossier.code not in _codes(desk, "due_soon", now)
    day_before = dossier.due_at - dt.timedelta(hours=2)
    assert dossier.code in _codes(desk, "due_soon", day_before)
    assert dossier.code not in _codes(desk, "overdue", day_before)
    late = dossier.due_at + dt.timedelta(minutes=1)
    assert dossier.code in _codes(desk, "overdue", late)
    assert dossier.code not in _codes(desk, "due_soon", late)


def test_queues_are_scoped_to_the_officials_locality(demo, birth, intake_for):
    units, people = demo["units"], demo["people"]
    now = monday_morning()
    services.receive_at_desk(
        people["motcua.nghilong"], intake_for(birth, units["Xã Nghi Long"]), now=now
    )
    district_desk = people["motcua.nghiloc"]
    assert queues.counts(district_desk, now=now)["to_hand_over"] == 0
    assert queues.counts(people["motcua.nghilong"], now=now)["to_hand_over"] == 1
    for key in queues.BY_KEY:
        assert set(queues.queue(people["lanhdao.nghiloc"], key, now=now)) <= set(
            services.visible_dossiers(people["lanhdao.nghiloc"])
        )


def test_search_ignores_diacritics_and_finds_codes_and_ids(demo, birth, intake_for):
    units, people = demo["units"], demo["people"]
    desk = people["motcua.nghilong"]
    commune = units["Xã Nghi Long"]
    mai = services.receive_at_desk(desk, intake_for(birth, commune))
    other = intake_for(birth, commune)
    other.applicant = services.ApplicantData(name="Trần Văn Đức", id_number="040090005678")
    duc = services.receive_at_desk(desk, other)
    visible = services.visible_dossiers(desk)
    assert list(queues.search(visible, "nguyen thi mai")) == [mai]
    assert list(queues.search(visible, "NGUYỄN mai")) == [mai]
    assert list(queues.search(visible, "tran van duc")) == [duc]
    assert list(queues.search(visible, duc.code.lower())) == [duc]
    assert list(queues.search(visible, "040090005678")) == [duc]
    assert list(queues.search(visible, "le van")) == []


def test_desk_units_are_where_the_official_receives(demo):
    units, people = demo["units"], demo["people"]
    assert queues.desk_units(people["motcua.nghilong"]) == [units["Xã Nghi Long"]]
    assert queues.desk_units(people["motcua.nghiloc"]) == [units["desk"]]
    assert queues.desk_units(people["congchuc.nghilong"]) == []


def test_district_desk_sees_supplements_asked_by_a_department(demo, intake_for, official_at):
    from congso.accounts.models import Role

    units, people = demo["units"], demo["people"]
    desk = people["motcua.nghiloc"]
    specialist = official_at(units["TCKH"], Role.SPECIALIST)
    procedure = Procedure.objects.get(code="1.001612")  # household business, district
    now = monday_morning()
    dossier = services.receive_at_desk(desk, intake_for(procedure, units["desk"]), now=now)
    dossier = services.transition(dossier, "start", actor=desk, now=now)
    assert dossier.code in _codes(specialist, "to_process", now)
    assert dossier.code not in _codes(desk, "to_hand_over", now)
    services.transition(
        dossier,
        "request_supplement",
        actor=specialist,
        items=["Biên bản họp"],
        note="Thiếu",
        now=now,
    )
    assert dossier.code in _codes(desk, "supplement", now)
    assert dossier.code in _codes(specialist, "supplement", now)
