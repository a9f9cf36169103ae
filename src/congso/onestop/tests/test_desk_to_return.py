"""A commune birth registration from the desk to the returned result, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congso.catalog.models import Procedure
from congso.core.models import AuditRecord
from congso.core.uploads import check_file
from congso.onestop import services
from congso.onestop.lifecycle import ORGAN_HEAD, State
from congso.onestop.models import HandOver

from .conftest import monday_morning


def _pdf():
    import weasyprint
    from django.core.files.uploadedfile import SimpleUploadedFile

    return check_file(
        SimpleUploadedFile("kq.pdf", weasyprint.HTML(string="<p>Kết quả</p>").write_pdf())
    )


@pytest.fixture
def birth(demo):
    return Procedure.objects.get(code="1.001193")


def test_receive_gives_code_due_date_plan_and_audit(demo, birth, intake_for):
    units, people = demo["units"], demo["people"]
    commune = units["Xã Nghi Long"]
    now = monday_morning()
    dossier = services.receive_at_desk(
        people["motcua.nghilong"], intake_for(birth, commune), now=now
    )
    assert dossier.code == f"{commune.agency_id}-260309-0001"
    assert dossier.state == State.RECEIVED and dossier.national_status == 2
    assert dossier.due_at.date() == dt.date(2026, 3, 9)  # same-day procedure received at 08:00
    assert [s.actor for s in dossier.steps.all()] == [
        "desk_officer",
        "specialist",
        "leader",
        "desk_officer",
    ]
    assert AuditRecord.objects.filter(action="onestop.receive", object_id=str(dossier.pk)).exists()
    second = services.receive_at_desk(
        people["motcua.nghilong"], intake_for(birth, commune), now=now
    )
    assert second.code.endswith("-0002")


def test_missing_document_is_refused_and_nothing_saved(demo, birth, intake_for):
    units, people = demo["units"], demo["people"]
    intake = intake_for(birth, units["Xã Nghi Long"], documents=[])
    with pytest.raises(ValidationError, match="chưa đủ thành phần"):
        services.receive_at_desk(people["motcua.nghilong"], intake, now=monday_morning())
    assert not birth.dossiers.exists()


def test_desk_of_another_commune_may_not_receive(demo, birth, intake_for):
    units, people = demo["units"], demo["people"]
    with pytest.raises(PermissionDenied):
        services.receive_at_desk(people["motcua.nghilong"], intake_for(birth, units["Xã Nghi Mỹ"]))


def test_whole_journey_with_control_sheet(demo, birth, intake_for):
    units, people = demo["units"], demo["people"]
    desk, clerk, leader = (
        people["motcua.nghilong"],
        people["congchuc.nghilong"],
        people["lanhdao.nghilong"],
    )
    now = monday_morning()
    dossier = services.receive_at_desk(desk, intake_for(birth, units["Xã Nghi Long"]), now=now)
    dossier = services.transition(
        dossier, "start", actor=desk, revision=dossier.revision, now=now + dt.timedelta(minutes=10)
    )
    assert services.actors_for(clerk, dossier) == {"specialist"}
    # the leader does not act at the specialist's step; as head of the deciding agency he may
    # only apologise (form 04), and only when the dossier is late or about to be
    assert services.actors_for(leader, dossier) == {ORGAN_HEAD}
    services.attach_result(dossier, actor=clerk, title="Giấy khai sinh", file=_pdf())
    dossier.refresh_from_db()
    dossier = services.transition(
        dossier, "forward", actor=clerk, opinion="Đủ điều kiện", now=now + dt.timedelta(hours=1)
    )
    leader_can = {t.name for t in services.allowed_transitions(leader, dossier)}
    assert {"approve", "send_back", "refuse", "apologise"} <= leader_can
    assert "forward" not in leader_can  # the leader's step is the last before the desk
    with pytest.raises(PermissionDenied):
        services.transition(dossier, "approve", actor=people["lanhdao.nghiloc"])
    dossier = services.transition(dossier, "approve", actor=leader, now=now + dt.timedelta(hours=2))
    assert dossier.state == State.PROCESSED and dossier.timeliness == "on_time"
    with pytest.raises(ValidationError):
        services.transition(dossier, "return_result", actor=desk, now=now + dt.timedelta(hours=3))
    dossier = services.transition(
        dossier,
        "return_result",
        actor=desk,
        returned_to="Nguyễn Thị Mai",
        id_checked=True,
        now=now + dt.timedelta(hours=3),
    )
    assert dossier.state == State.RETURNED and dossier.national_status == 10
    sheet = list(HandOver.objects.filter(dossier=dossier).values_list("to_unit__name", flat=True))
    assert len(sheet) == 3
    assert list(dossier.events.values_list("transition", flat=True)) == [
        "receive",
        "start",
        "forward",
        "approve",
        "return_result",
    ]


def test_stale_revision_is_refused(demo, birth, intake_for):
    units, people = demo["units"], demo["people"]
    desk = people["motcua.nghilong"]
    dossier = services.receive_at_desk(desk, intake_for(birth, units["Xã Nghi Long"]))
    services.transition(dossier, "start", actor=desk, revision=dossier.revision)
    with pytest.raises(services.Conflict):
        services.transition(
            dossier,
            "request_supplement",
            actor=desk,
            revision=dossier.revision,
            items=["Giấy chứng sinh"],
            note="Mờ",
        )


def test_supplement_stops_and_restarts_the_clock(demo, intake_for):
    units, people = demo["units"], demo["people"]
    procedure = Procedure.objects.get(code="1.004873")  # working-day procedure
    desk = people["motcua.nghilong"]
    now = monday_morning()
    dossier = services.receive_at_desk(desk, intake_for(procedure, units["Xã Nghi Long"]), now=now)
    first_due = dossier.due_at
    dossier = services.transition(
        dossier,
        "request_supplement",
        actor=desk,
        items=["Tờ khai"],
        note="Thiếu chữ ký",
        now=now + dt.timedelta(hours=1),
    )
    assert dossier.state == State.SUPPLEMENT_REQUESTED and dossier.clock_stopped_at
    later = now + dt.timedelta(days=2)
    dossier = services.transition(
        dossier,
        "supplement",
        actor=desk,
        now=later,
        documents=[services.ReceivedDocument(required_document_id=None, name="Tờ khai có chữ ký")],
    )
    assert dossier.state == State.PROCESSING
    assert dossier.due_at > first_due
