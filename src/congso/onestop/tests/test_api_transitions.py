"""``POST /api/v1/dossiers/{code}/transitions/``: 200, 400, 403, 404 and 409, nothing half-done."""

import datetime as dt

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from congso.catalog.models import Procedure
from congso.core.models import AuditRecord
from congso.core.uploads import check_file
from congso.onestop import services
from congso.onestop.models import Dossier, Event

from .conftest import monday_morning

pytestmark = pytest.mark.slow


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(dossier) -> str:
    return f"/api/v1/dossiers/{dossier.code}/transitions/"


@pytest.fixture
def people(demo):
    return demo["people"]


@pytest.fixture
def received(demo, intake_for):
    birth = Procedure.objects.get(code="1.001193")
    return services.receive_at_desk(
        demo["people"]["motcua.nghilong"],
        intake_for(birth, demo["units"]["Xã Nghi Long"]),
        now=monday_morning(),
    )


def _post(user, dossier, **body):
    return client_for(user).post(url(dossier), body, format="json")


def test_start_moves_the_dossier_and_returns_the_new_state(people, received):
    response = _post(people["motcua.nghilong"], received, transition="start", revision=1)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["state"] == "processing" and data["national_status"] == 4
    assert data["revision"] == 2
    assert [e["transition"] for e in data["history"]] == ["receive", "start"]
    assert AuditRecord.objects.filter(action="onestop.start").count() == 1


def test_stale_revision_is_409_and_changes_nothing(people, received):
    desk = people["motcua.nghilong"]
    assert _post(desk, received, transition="start", revision=1).status_code == 200
    response = _post(
        desk,
        received,
        transition="request_supplement",
        revision=1,
        items=["Giấy chứng sinh"],
        note="Mờ",
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert "vừa được người khác cập nhật" in error["message"]
    assert Event.objects.filter(dossier=received).count() == 2
    assert Dossier.objects.get(pk=received.pk).state == "processing"


def test_transition_not_allowed_for_the_role_is_403_with_the_reason(people, received):
    response = _post(people["motcua.nghilong"], received, transition="approve", revision=1)
    assert response.status_code == 403
    assert "Không thể “Phê duyệt kết quả”" in response.json()["error"]["message"]
    assert Event.objects.filter(dossier=received).count() == 1


def test_leader_of_the_district_may_see_but_not_act(people, received):
    response = _post(people["lanhdao.nghiloc"], received, transition="start", revision=1)
    assert response.status_code == 403
    assert "vai trò" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"transition": "fly", "revision": 1}, "transition"),
        ({"transition": "start"}, "revision"),
        ({"transition": "start", "revision": "x"}, "revision"),
        ({"transition": "request_supplement", "revision": 1, "note": "Mờ"}, "items"),
        ({"transition": "request_supplement", "revision": 1, "items": ["Tờ khai"]}, "note"),
    ],
)
def test_bad_payload_is_400_with_fields_and_nothing_changes(people, received, body, field):
    response = client_for(people["motcua.nghilong"]).post(url(received), body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert Dossier.objects.get(pk=received.pk).revision == 1
    assert Event.objects.filter(dossier=received).count() == 1


def test_unknown_or_invisible_dossier_is_404(people, received, official_at, demo):
    from congso.accounts.models import Role

    stranger = official_at(demo["units"]["Xã Nghi Mỹ"], Role.DESK_OFFICER)
    hidden = _post(stranger, received, transition="start", revision=1)
    missing = client_for(stranger).post(
        "/api/v1/dossiers/000.00.00.X99-260309-0001/transitions/",
        {"transition": "start", "revision": 1},
        format="json",
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def _result_pdf():
    pdf = weasyprint.HTML(string="<p>Giấy khai sinh</p>").write_pdf()
    return check_file(SimpleUploadedFile("kq.pdf", pdf))


def test_whole_journey_through_the_api(people, received):
    desk, clerk, leader = (
        people["motcua.nghilong"],
        people["congchuc.nghilong"],
        people["lanhdao.nghilong"],
    )
    data = _post(desk, received, transition="start", revision=1, assignee=clerk.pk).json()
    assert data["steps"][1]["assignee"] == clerk.get_full_name()
    services.attach_result(received, actor=clerk, title="Giấy khai sinh", file=_result_pdf())
    revision = Dossier.objects.get(pk=received.pk).revision
    forward = _post(clerk, received, transition="forward", revision=revision, opinion="Đủ")
    assert forward.status_code == 200, forward.json()
    early = _post(leader, received, transition="approve", revision=forward.json()["revision"] - 1)
    assert early.status_code == 409
    approved = _post(
        leader, received, transition="approve", revision=forward.json()["revision"]
    ).json()
    assert approved["state"] == "processed"
    returned = _post(
        desk,
        received,
        transition="return_result",
        revision=approved["revision"],
        returned_to="Nguyễn Thị Mai",
        id_checked=True,
    )
    assert returned.status_code == 200, returned.json()
    assert returned.json()["national_status"] == 10
    assert returned.json()["allowed_transitions"] == []


def test_apology_takes_an_iso_due_date(people, received):
    desk, leader = people["motcua.nghilong"], people["lanhdao.nghilong"]
    _post(desk, received, transition="start", revision=1)
    clerk = people["congchuc.nghilong"]
    services.attach_result(received, actor=clerk, title="Giấy khai sinh", file=_result_pdf())
    revision = Dossier.objects.get(pk=received.pk).revision
    _post(clerk, received, transition="forward", revision=revision)
    dossier = Dossier.objects.get(pk=received.pk)
    # the new date must be after the current due date and after now (the dossier was received
    # on a fixed past Monday, so it is late today)
    new_due = (max(dossier.due_at, timezone.now()) + dt.timedelta(days=3)).isoformat()
    response = _post(
        leader,
        received,
        transition="apologise",
        revision=dossier.revision,
        note="Chờ xác minh",
        new_due_at=new_due,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["rescheduled"] is True
    again = _post(
        leader,
        received,
        transition="apologise",
        revision=response.json()["revision"],
        note="Lần nữa",
        new_due_at=new_due,
    )
    assert again.status_code == 400
    assert "một lần" in again.json()["error"]["message"]
