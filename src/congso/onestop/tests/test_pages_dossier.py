"""The dossier page: what it shows, one form per allowed transition, stale pages, and scoping."""

import datetime as dt

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from congso.catalog.models import Procedure
from congso.onestop import services
from congso.onestop.lifecycle import State
from congso.onestop.models import Result

pytestmark = pytest.mark.slow


@pytest.fixture
def people(demo):
    return demo["people"]


@pytest.fixture
def dossier(demo, intake_for, people):
    birth = Procedure.objects.get(code="1.001193")
    return services.receive_at_desk(
        people["motcua.nghilong"], intake_for(birth, demo["units"]["Xã Nghi Long"])
    )


def _page(client, user, dossier):
    client.force_login(user)
    return client.get(reverse("onestop:dossier", args=[dossier.code]))


def _act(client, user, dossier, name, **fields):
    client.force_login(user)
    data = {"transition": name, "revision": dossier.revision, **fields}
    return client.post(reverse("onestop:act", args=[dossier.code]), data, follow=True)


def _pdf(name="kq.pdf"):
    return SimpleUploadedFile(name, weasyprint.HTML(string="<p>Kết quả</p>").write_pdf())


def test_page_shows_header_plan_and_the_desks_actions(client, people, dossier):
    html = _page(client, people["motcua.nghilong"], dossier).content.decode()
    assert dossier.code in html and "Đăng ký khai sinh" in html
    assert "Đã tiếp nhận" in html and "mã trạng thái quốc gia 2" in html
    assert "Thẩm định hồ sơ, dự thảo kết quả" in html  # the plan
    assert "Phiếu kiểm soát quá trình giải quyết" in html
    assert 'data-transition="start"' in html and 'data-transition="approve"' not in html
    assert f'name="revision" value="{dossier.revision}"' in html
    assert people["congchuc.nghilong"].get_full_name() in html  # assignee choice for start


def test_start_with_assignee_then_the_specialist_sees_the_result_form(client, people, dossier):
    clerk = people["congchuc.nghilong"]
    response = _act(client, people["motcua.nghilong"], dossier, "start", assignee=clerk.pk)
    said = f"Đã chuyển hồ sơ {dossier.code} cho chuyên viên {clerk.get_full_name()} xử lý."
    assert said in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert dossier.steps.get(state="active").assignee == clerk
    html = _page(client, clerk, dossier).content.decode()
    assert 'data-transition="attach_result"' in html and 'data-transition="forward"' in html


def test_stale_revision_is_told_and_changes_nothing(client, people, dossier):
    desk = people["motcua.nghilong"]
    stale = dossier.revision
    services.transition(dossier, "request_supplement", actor=desk, items=["Tờ khai"], note="Thiếu")
    dossier.refresh_from_db()
    client.force_login(desk)
    response = client.post(
        reverse("onestop:act", args=[dossier.code]),
        {"transition": "supplement", "revision": stale, "names": "Tờ khai"},
        follow=True,
    )
    assert "Hồ sơ vừa được người khác cập nhật" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT_REQUESTED


def test_missing_reason_is_shown_at_the_field(client, people, dossier):
    response = _act(client, people["motcua.nghilong"], dossier, "request_supplement", items="")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'id="request_supplement-items_error"' in html
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


def test_a_transition_not_allowed_is_refused(client, people, dossier):
    response = _act(client, people["congchuc.nghilong"], dossier, "approve")
    assert "Không thể “Phê duyệt kết quả” hồ sơ này lúc này." in response.content.decode()
    response = _act(client, people["motcua.nghilong"], dossier, "bogus")
    assert "Thao tác không hợp lệ." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


def test_whole_journey_through_the_pages(client, people, dossier):
    desk, clerk, leader = (
        people["motcua.nghilong"],
        people["congchuc.nghilong"],
        people["lanhdao.nghilong"],
    )
    _act(client, desk, dossier, "start")
    dossier.refresh_from_db()
    client.force_login(clerk)
    response = client.post(
        reverse("onestop:attach_result", args=[dossier.code]),
        {"revision": dossier.revision, "title": "Giấy khai sinh", "file": _pdf()},
        follow=True,
    )
    assert "Đã đính kèm kết quả (chưa ký số)." in response.content.decode()
    dossier.refresh_from_db()
    _act(client, clerk, dossier, "forward", opinion="Đủ điều kiện", assignee=leader.pk)
    dossier.refresh_from_db()
    seen = dossier.result.sha256  # the leader confirms the draft the page showed him
    _act(client, leader, dossier, "approve", draft_sha256=seen, confirm="on")
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSED
    response = _act(client, desk, dossier, "return_result", returned_to="Nguyễn Thị Mai")
    assert 'id="return_result-id_checked_error"' in response.content.decode()
    response = _act(
        client, desk, dossier, "return_result", returned_to="Nguyễn Thị Mai", id_checked="on"
    )
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED and dossier.returned_to == "Nguyễn Thị Mai"
    html = response.content.decode()
    assert "Trả kết quả" in html and "mã trạng thái quốc gia 10" in html
    download = client.get(reverse("onestop:result_file", args=[dossier.code]))
    assert download.status_code == 200
    assert download.getvalue().startswith(b"%PDF")


def test_result_must_be_a_real_pdf(client, people, dossier):
    clerk = people["congchuc.nghilong"]
    services.transition(dossier, "start", actor=people["motcua.nghilong"])
    dossier.refresh_from_db()
    client.force_login(clerk)
    image = SimpleUploadedFile("kq.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    response = client.post(
        reverse("onestop:attach_result", args=[dossier.code]),
        {"revision": dossier.revision, "title": "Giấy khai sinh", "file": image},
    )
    assert response.status_code == 400
    assert "không đúng định dạng cho phép" in response.content.decode()
    assert not Result.objects.exists()


def test_apologise_sets_a_new_due_date_once(client, people, dossier):
    leader = people["lanhdao.nghilong"]
    services.transition(dossier, "start", actor=people["motcua.nghilong"])
    services.transition(dossier, "forward", actor=people["congchuc.nghilong"])
    dossier.refresh_from_db()
    later = timezone.localtime(dossier.due_at) + dt.timedelta(days=7)
    response = _act(client, leader, dossier, "apologise", note="Cần xác minh")
    assert 'id="apologise-new_due_date_error"' in response.content.decode()
    response = _act(
        client,
        leader,
        dossier,
        "apologise",
        note="Cần xác minh",
        new_due_date=later.strftime("%d/%m/%Y"),
    )
    dossier.refresh_from_db()
    assert dossier.rescheduled and timezone.localtime(dossier.due_at).date() == later.date()
    assert 'data-transition="apologise"' not in response.content.decode()  # once only


def test_supplement_loop_through_the_pages(client, people, dossier):
    desk = people["motcua.nghilong"]
    _act(client, desk, dossier, "request_supplement", items="Giấy chứng sinh\nTờ khai", note="Mờ")
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT_REQUESTED
    html = _page(client, desk, dossier).content.decode()
    assert "Giấy chứng sinh" in html and "đang chờ bổ sung" in html
    _act(client, desk, dossier, "supplement", names="Giấy chứng sinh (bản rõ)", file=_pdf("b.pdf"))
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    added = dossier.documents.get(from_supplement=True)
    assert added.digitised and added.name == "Giấy chứng sinh (bản rõ)"


@pytest.mark.parametrize("who", ["congdan.an", "motcua.nghiloc", "chuyenvien.tuphap"])
def test_others_get_404(client, people, dossier, who):
    client.force_login(people[who])
    assert client.get(reverse("onestop:dossier", args=[dossier.code])).status_code == 404
    response = client.post(
        reverse("onestop:act", args=[dossier.code]),
        {"transition": "start", "revision": dossier.revision},
    )
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


def test_another_communes_desk_gets_404_for_documents(client, demo, people, intake_for):
    from congso.accounts.models import Role
    from congso.accounts.tests.factories import OfficialFactory, PositionFactory

    birth = Procedure.objects.get(code="1.001193")
    mine = services.receive_at_desk(
        people["motcua.nghilong"], intake_for(birth, demo["units"]["Xã Nghi Long"])
    )
    other_desk = PositionFactory(
        user=OfficialFactory(), unit=demo["units"]["Xã Nghi Mỹ"], role=Role.DESK_OFFICER
    ).user
    client.force_login(other_desk)
    document = mine.documents.first()
    url = reverse("onestop:document", args=[mine.code, document.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("onestop:dossier", args=[mine.code])).status_code == 404


def test_district_leader_oversees_but_cannot_act(client, people, dossier):
    html = _page(client, people["lanhdao.nghiloc"], dossier).content.decode()
    assert dossier.code in html and 'data-transition="' not in html
