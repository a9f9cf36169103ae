"""After filing: the desk works, the citizen answers a supplement request, withdraws, downloads
the result, and finds the result and verified documents in the data store."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from congso.core.uploads import check_file
from congso.onestop import services as onestop
from congso.portal import services
from congso.portal.models import StoredDocument

from .conftest import pdf_bytes, required_ids, upload

pytestmark = pytest.mark.slow


@pytest.fixture
def filed(ready_draft):
    return services.submit(ready_draft)


@pytest.fixture
def staff(demo):
    people = demo["people"]
    return people["motcua.nghilong"], people["congchuc.nghilong"], people["lanhdao.nghilong"]


def _accept_and_start(dossier, desk):
    dossier = onestop.transition(dossier, "accept", actor=desk)
    return onestop.transition(dossier, "start", actor=desk)


def _finish(dossier, clerk, leader):
    result = check_file(upload("kq.pdf", pdf_bytes("Giấy khai sinh số 12/2026")))
    onestop.attach_result(dossier, actor=clerk, title="Giấy khai sinh", file=result)
    dossier.refresh_from_db()
    dossier = onestop.transition(dossier, "forward", actor=clerk)
    return onestop.transition(dossier, "approve", actor=leader)


def test_result_downloaded_by_owner_and_filed_in_data_store(
    client, citizen, other_citizen, filed, staff, django_capture_on_commit_callbacks
):
    desk, clerk, leader = staff
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _accept_and_start(filed, desk)
    verified = StoredDocument.objects.filter(owner=citizen, kind="document")
    assert verified.count() == len(required_ids(filed.procedure))
    client.force_login(citizen)
    url = reverse("portal:result_file", args=[filed.code])
    assert client.get(url).status_code == 404  # no result yet
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _finish(dossier, clerk, leader)
        dossier = onestop.transition(dossier, "return_result", actor=desk)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    stored = StoredDocument.objects.get(owner=citizen, kind="result")
    assert stored.source_code == filed.code
    assert stored.sha256 == services.result_document(dossier.result)[1]
    page = client.get(reverse("portal:dossier", args=[filed.code])).content.decode()
    assert reverse("signing:verify") in page and "Đã trả kết quả" in page
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404
    assert not StoredDocument.objects.filter(owner=other_citizen).exists()


def test_stored_document_reused_in_a_new_dossier(
    citizen, birth, commune, filed, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        onestop.transition(filed, "accept", actor=staff[0])
    stored = StoredDocument.objects.filter(owner=citizen, kind="document").first()
    draft = services.start_draft(citizen, birth)
    services.set_unit(draft, commune.pk)
    draft.answers = filed.form_data
    draft.save()
    for pk in required_ids(birth):
        services.attach_stored(draft, pk, stored.public_id)
    services.set_delivery(draft, "desk")
    second = services.submit(draft)
    documents = list(second.documents.all())
    assert documents and all(d.reused and d.sha256 == stored.sha256 for d in documents)


def test_supplement_answered_online(client, citizen, filed, staff):
    desk = staff[0]
    dossier = _accept_and_start(filed, desk)
    dossier = onestop.transition(
        dossier,
        "request_supplement",
        actor=desk,
        items=["Giấy chứng sinh bản rõ nét"],
        note="Ảnh mờ",
    )
    client.force_login(citizen)
    url = reverse("portal:dossier", args=[filed.code])
    page = client.get(url).content.decode()
    assert "Giấy chứng sinh bản rõ nét" in page and "Gửi bổ sung" in page
    empty = client.post(url, {"note": ""})
    assert "Đính kèm giấy tờ bổ sung." in empty.content.decode()
    response = client.post(url, {"files": [upload("ro-net.pdf")], "note": "Bản rõ"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == "processing"
    assert dossier.documents.filter(from_supplement=True).count() == 1


def test_withdraw_needs_a_reason_and_confirmation(client, citizen, filed):
    client.force_login(citizen)
    url = reverse("portal:withdraw", args=[filed.code])
    assert "Xác nhận rút hồ sơ" in client.get(url).content.decode()
    page = client.post(url, {"note": " "}).content.decode()
    assert 'href="#f-note">Nêu lý do rút hồ sơ.</a>' in page
    filed.refresh_from_db()
    assert filed.state == "new"
    assert client.post(url, {"note": "Nộp nhầm thủ tục"}).status_code == 302
    filed.refresh_from_db()
    assert filed.state == "withdrawn"
    with pytest.raises(Exception):  # noqa: B017 - a final state refuses any further withdrawal
        services.withdraw(filed, citizen, "lại")


def test_withdraw_service_refuses_blank_reason(citizen, filed):
    with pytest.raises(ValidationError):
        services.withdraw(filed, citizen, "")


def test_public_lookup_shows_status_without_personal_data(client, filed, citizen):
    url = reverse("portal:lookup")
    page = client.get(url, {"code": filed.code, "id_number": citizen.id_number}).content.decode()
    assert "Mới, chờ tiếp nhận" in page and citizen.full_name not in page
    assert filed.procedure.name in page
    wrong = client.get(url, {"code": filed.code, "id_number": "040000000000"}).content.decode()
    unknown = client.get(url, {"code": "X-1", "id_number": citizen.id_number}).content.decode()
    assert "Không tìm thấy hồ sơ" in wrong and "Không tìm thấy hồ sơ" in unknown


def test_public_lookup_is_rate_limited(client, filed):
    url = reverse("portal:lookup")
    statuses = [client.get(url, {"code": "X", "id_number": "1"}).status_code for _ in range(22)]
    assert statuses[:20] == [200] * 20 and statuses[-1] == 429
