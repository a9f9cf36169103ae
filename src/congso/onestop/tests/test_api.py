"""The dossier API: receiving, the scoped and filtered list, the detail with allowed transitions."""

import datetime as dt
import json

import pytest
from rest_framework.test import APIClient

from congso.accounts.models import Role
from congso.catalog.models import Procedure
from congso.onestop import services
from congso.onestop.models import Dossier

from .conftest import monday_morning

LIST = "/api/v1/dossiers/"


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def birth(demo):
    return Procedure.objects.get(code="1.001193")


@pytest.fixture
def nghilong(demo):
    return demo["units"]["Xã Nghi Long"]


def _body(birth, unit, **overrides) -> dict:
    version = birth.current_version()
    documents = [
        {"required_document": d.pk, "copy_kind": d.copy_kind, "count": d.count}
        for d in version.documents.all()
        if d.mandatory and not d.is_declaration
    ]
    body = {
        "procedure": birth.code,
        "unit": unit.pk,
        "applicant": {
            "name": "Nguyễn Thị Mai",
            "id_number": "040190001234",
            "phone": "0912345000",
            "email": "mai@example.vn",
            "address": "Xóm 3, xã Nghi Long",
        },
        "documents": documents,
        "result_delivery": "desk",
    }
    body.update(overrides)
    return body


def test_desk_officer_receives_a_dossier(demo, birth, nghilong):
    response = client_for(demo["people"]["motcua.nghilong"]).post(
        LIST, _body(birth, nghilong), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["code"].startswith(f"{nghilong.agency_id}-")
    assert data["state"] == "received" and data["national_status"] == 2
    assert data["due_at"] and data["received_at"]
    assert [s["actor"] for s in data["steps"]][0] == "desk_officer"
    assert [e["transition"] for e in data["history"]] == ["receive"]
    assert {t["name"] for t in data["allowed_transitions"]} >= {"start", "request_supplement"}
    assert len(data["documents"]) == len(_body(birth, nghilong)["documents"])
    assert Dossier.objects.get(code=data["code"]).applicant_address == "Xóm 3, xã Nghi Long"


def test_missing_documents_are_refused_in_vietnamese_and_nothing_saved(demo, birth, nghilong):
    response = client_for(demo["people"]["motcua.nghilong"]).post(
        LIST, _body(birth, nghilong, documents=[]), format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "chưa đủ thành phần" in error["fields"]["documents"][0]
    assert error["message"].startswith("Dữ liệu không hợp lệ")
    assert not Dossier.objects.exists()


def test_invalid_id_number_is_a_field_error(demo, birth, nghilong):
    applicant = {"name": "Nguyễn Thị Mai", "id_number": "12345"}
    response = client_for(demo["people"]["motcua.nghilong"]).post(
        LIST, _body(birth, nghilong, applicant=applicant), format="json"
    )
    assert response.status_code == 400
    assert "applicant_id_number" in response.json()["error"]["fields"]
    assert not Dossier.objects.exists()


def test_document_of_another_procedure_is_refused(demo, birth, nghilong):
    other = Procedure.objects.get(code="1.001612").current_version().documents.first()
    body = _body(birth, nghilong)
    body["documents"].append({"required_document": other.pk, "copy_kind": "original"})
    response = client_for(demo["people"]["motcua.nghilong"]).post(LIST, body, format="json")
    assert response.status_code == 400
    assert "không thuộc thủ tục" in response.json()["error"]["fields"]["documents"][0]


def test_malformed_body_names_the_fields(demo, birth, nghilong):
    response = client_for(demo["people"]["motcua.nghilong"]).post(
        LIST, {"procedure": birth.code, "unit": "abc", "copies": 0}, format="json"
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"unit", "applicant", "copies"} <= set(fields)


def test_desk_of_another_commune_gets_403_with_reason(demo, birth):
    response = client_for(demo["people"]["motcua.nghilong"]).post(
        LIST, _body(birth, demo["units"]["Xã Nghi Mỹ"]), format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Bạn không phải cán bộ một cửa của đơn vị này."
    assert not Dossier.objects.exists()


def test_anonymous_may_not_receive(demo, birth, nghilong):
    response = client_for(None).post(LIST, _body(birth, nghilong), format="json")
    assert response.status_code in (401, 403)
    assert not Dossier.objects.exists()


def test_citizen_files_online_and_official_may_not(demo, birth, nghilong):
    citizen = demo["people"]["congdan.an"]
    no_documents = Procedure.objects.get(code="1.001612")
    response = client_for(citizen).post(
        LIST, _body(no_documents, demo["units"]["district"], channel="online"), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "new" and data["national_status"] == 1 and data["channel"] == "online"
    assert Dossier.objects.get(code=data["code"]).applicant == citizen
    refused = client_for(demo["people"]["motcua.nghilong"]).post(
        LIST, _body(birth, nghilong, channel="online"), format="json"
    )
    assert refused.status_code == 403


# --- The list ---------------------------------------------------------------------------------


@pytest.fixture
def three(demo, birth, nghilong, intake_for, official_at):
    """Three dossiers at Nghi Long on two days, and one at Nghi Mỹ."""
    desk = demo["people"]["motcua.nghilong"]
    monday = monday_morning()
    mai = services.receive_at_desk(desk, intake_for(birth, nghilong), now=monday)
    other = services.ApplicantData(name="Trần Văn Đức", id_number="040085007777")
    duc = services.receive_at_desk(
        desk, intake_for(birth, nghilong, applicant=other), now=monday + dt.timedelta(days=1)
    )
    services.transition(duc, "start", actor=desk, revision=duc.revision, now=duc.received_at)
    third = services.receive_at_desk(
        desk, intake_for(birth, nghilong), now=monday + dt.timedelta(days=1, hours=1)
    )
    my = demo["units"]["Xã Nghi Mỹ"]
    elsewhere = services.receive_at_desk(
        official_at(my, Role.DESK_OFFICER), intake_for(birth, my), now=monday
    )
    return {"mai": mai, "duc": duc, "third": third, "elsewhere": elsewhere}


def _codes(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["code"] for row in response.json()["results"]}


def test_list_is_scoped_to_the_caller(demo, three):
    desk = client_for(demo["people"]["motcua.nghilong"])
    assert _codes(desk.get(LIST)) == {three[k].code for k in ("mai", "duc", "third")}
    district_leader = client_for(demo["people"]["lanhdao.nghiloc"])
    assert three["elsewhere"].code in _codes(district_leader.get(LIST))
    assert _codes(client_for(demo["people"]["congdan.binh"]).get(LIST)) == set()
    assert client_for(None).get(LIST).status_code in (401, 403)


def test_list_filters(demo, three):
    desk = client_for(demo["people"]["motcua.nghilong"])
    assert _codes(desk.get(LIST, {"state": "processing"})) == {three["duc"].code}
    assert _codes(desk.get(LIST, {"q": "tran van duc"})) == {three["duc"].code}
    assert _codes(desk.get(LIST, {"q": "TRẦN Đức"})) == {three["duc"].code}
    assert _codes(desk.get(LIST, {"q": "040085007777"})) == {three["duc"].code}
    assert _codes(desk.get(LIST, {"q": three["mai"].code.lower()})) == {three["mai"].code}
    assert _codes(desk.get(LIST, {"q": "không có ai"})) == set()
    assert _codes(desk.get(LIST, {"received_from": "10/03/2026"})) == {
        three["duc"].code,
        three["third"].code,
    }
    assert _codes(desk.get(LIST, {"received_to": "2026-03-09"})) == {three["mai"].code}
    assert len(_codes(desk.get(LIST, {"procedure": "1.001193", "channel": "desk"}))) == 3
    assert _codes(desk.get(LIST, {"channel": "online"})) == set()
    unit = demo["units"]["Xã Nghi Mỹ"].pk
    assert _codes(client_for(demo["people"]["lanhdao.nghiloc"]).get(LIST, {"unit": unit})) == {
        three["elsewhere"].code
    }


@pytest.mark.parametrize(
    "params, field",
    [
        ({"state": "lost"}, "state"),
        ({"channel": "fax"}, "channel"),
        ({"received_from": "31/02/2026"}, "received_from"),
        ({"unit": "x"}, "unit"),
    ],
)
def test_bad_filters_are_400_in_vietnamese(demo, three, params, field):
    response = client_for(demo["people"]["motcua.nghilong"]).get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_list_is_paginated_newest_first(demo, three):
    response = client_for(demo["people"]["motcua.nghilong"]).get(LIST, {"page_size": 2})
    data = response.json()
    assert data["count"] == 3 and len(data["results"]) == 2 and data["next"]
    assert data["results"][0]["code"] == three["third"].code
    rest = client_for(demo["people"]["motcua.nghilong"]).get(LIST, {"page_size": 2, "page": 2})
    assert [r["code"] for r in rest.json()["results"]] == [three["mai"].code]


# --- The detail -------------------------------------------------------------------------------


def test_detail_shows_state_history_and_the_callers_transitions(demo, three):
    code = three["duc"].code
    desk = client_for(demo["people"]["motcua.nghilong"]).get(f"{LIST}{code}/").json()
    assert desk["state"] == "processing" and desk["national_status"] == 4
    assert [e["label"] for e in desk["history"]] == ["Tiếp nhận hồ sơ", "Chuyển xử lý"]
    assert len(desk["hand_overs"]) == 1 and desk["hand_overs"][0]["to_unit"]
    assert {"request_supplement", "withdraw"} <= {t["name"] for t in desk["allowed_transitions"]}
    assert "forward" not in {t["name"] for t in desk["allowed_transitions"]}
    specialist = client_for(demo["people"]["congchuc.nghilong"]).get(f"{LIST}{code}/").json()
    names = {t["name"]: t["label"] for t in specialist["allowed_transitions"]}
    assert names["forward"] == "Chuyển bước tiếp theo"
    assert "file" not in specialist["documents"][0]


def test_detail_not_visible_is_the_same_404_as_unknown(demo, three):
    desk = client_for(demo["people"]["motcua.nghilong"])
    hidden = desk.get(f"{LIST}{three['elsewhere'].code}/")
    unknown = desk.get(f"{LIST}000.00.00.X99-260309-0001/")
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()
    assert hidden.json()["error"]["message"] == "Không tìm thấy hồ sơ."


def test_the_endpoints_are_in_the_openapi_schema(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    paths = response.json()["paths"]
    for path in [
        "/api/v1/dossiers/",
        "/api/v1/dossiers/{code}/",
        "/api/v1/dossiers/{code}/transitions/",
        "/api/v1/dossiers/{code}/sync/",
        "/api/v1/dossiers/{code}/forms/{form}.pdf",
        "/api/v1/lookup/",
    ]:
        assert path in paths, path
    assert "post" in paths["/api/v1/dossiers/"] and "get" in paths["/api/v1/dossiers/"]


def test_a_hand_over_to_a_unit_and_an_unassigned_step_match_the_schema(demo, three):
    """A hand-over names no person and a step may have no assignee yet: the schema says so."""
    code = three["duc"].code
    detail = client_for(demo["people"]["motcua.nghilong"]).get(f"{LIST}{code}/").json()
    components = APIClient().get("/api/schema/", {"format": "json"}).json()["components"]
    schemas = components["schemas"]
    assert detail["hand_overs"][0]["to_user"] is None
    assert schemas["HandOver"]["properties"]["to_user"].get("nullable")
    assert None in {step["assignee"] for step in detail["steps"]}
    assert schemas["DossierStep"]["properties"]["assignee"].get("nullable")


def test_the_hand_built_summary_is_the_serializers(demo, three):
    """The list API's rows (``serializers.dossier_summary``, without the columns the list leaves unread) are
    ``DossierSummarySerializer``'s on whole dossiers, for every role, finished or not, in both
    languages; the answer's rows are those, newest first."""
    from django.utils import translation
    from rest_framework.renderers import JSONRenderer

    from congso.onestop.listing import listed
    from congso.onestop.serializers import DossierSummarySerializer, dossier_summary

    render = JSONRenderer().render
    Dossier.objects.filter(pk=three["duc"].pk).update(timeliness="late")
    compared = 0
    for username in ["motcua.nghilong", "congchuc.nghilong", "lanhdao.nghiloc"]:
        user = demo["people"][username]
        visible = listed(services.visible_dossiers(user)).order_by("-filed_at", "-id")
        for language in ("vi", "en"):
            with translation.override(language):
                for row in visible:
                    whole = Dossier.objects.get(pk=row.pk)
                    assert render(dossier_summary(row)) == render(
                        DossierSummarySerializer(whole).data
                    )
                    compared += 1
        answered = client_for(user).get(LIST).json()["results"]
        with translation.override("vi"):
            assert answered == json.loads(render([dossier_summary(row) for row in visible[:20]]))
    assert compared >= 12


def test_the_hand_built_detail_answer_is_the_serializers(demo, three):
    """``serializers.dossier_detail`` builds the detail answer without DRF's field objects; the
    serializer stays the schema and the reference: both give the same JSON for every role, with
    a hand-over to a unit, an assigned and an unassigned step, a document with and without a file,
    a result signed or not, and none."""
    from rest_framework.renderers import JSONRenderer
    from rest_framework.test import APIRequestFactory

    from congso.onestop.models import Result, Step
    from congso.onestop.serializers import DossierDetailSerializer, dossier_detail
    from congso.signing.models import SignedFile

    duc, mai = three["duc"], three["mai"]
    Step.objects.filter(dossier=duc, state="active").update(
        assignee=demo["people"]["congchuc.nghilong"]
    )
    duc.documents.filter(pk=duc.documents.order_by("id").first().pk).update(
        file="dossiers/2026/03/a.pdf", sha256="ab" * 32, size=1234
    )
    signed = SignedFile.objects.create(file="signed/a.pdf", name="a.pdf", sha256="cd" * 32)
    Result.objects.create(dossier=duc, title="Giấy khai sinh", sha256="ef" * 32, signed_file=signed)
    Result.objects.create(dossier=mai, title="Trích lục", sha256="01" * 32, unsigned_reason="x")
    people = ["motcua.nghilong", "congchuc.nghilong", "lanhdao.nghilong", "lanhdao.nghiloc"]
    compared = 0
    for username in people:
        user = demo["people"][username]
        request = APIRequestFactory().get("/")
        request.user = user
        for dossier in services.visible_dossiers(user):
            fresh = services.visible_with_plan(user, dossier.code)
            reference = DossierDetailSerializer(fresh, context={"request": request}).data
            assert JSONRenderer().render(dossier_detail(fresh, user)) == JSONRenderer().render(
                reference
            )
            compared += 1
    assert compared >= 8
