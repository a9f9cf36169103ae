"""Filing online through the portal's services: draft → submit → a *new* dossier at the desk."""

import pytest
from django.core.exceptions import ValidationError

from congso.notify.models import Notification
from congso.onestop.lifecycle import State
from congso.onestop.models import Dossier
from congso.portal import services
from congso.portal.models import Draft

from .conftest import BIRTH_ANSWERS, png_bytes, required_ids, upload


def test_submit_files_a_new_online_dossier_and_removes_the_draft(ready_draft, citizen, commune):
    dossier = services.submit(ready_draft)
    assert dossier.state == State.NEW and dossier.channel == "online"
    assert dossier.applicant == citizen and dossier.receiving_unit == commune
    assert dossier.form_data == BIRTH_ANSWERS and dossier.result_delivery == "online"
    assert dossier.documents.filter(digitised=True).count() == len(required_ids(dossier.procedure))
    assert not Draft.objects.filter(pk=ready_draft.pk).exists()
    assert dossier.events.get().transition == "file"


def test_the_code_reaches_the_citizen_in_the_account_by_mail_and_by_text(ready_draft, citizen):
    dossier = services.submit(ready_draft)
    sent = Notification.objects.filter(user=citizen, template="onestop.status")
    assert {row.channel for row in sent} == {"in_app", "email", "sms"}
    assert sent.get(channel="email").address == citizen.email
    assert sent.get(channel="sms").address == "+84912000111"
    assert dossier.code in sent.get(channel="sms").body


def test_incomplete_draft_is_refused_and_nothing_filed(birth, citizen):
    draft = services.start_draft(citizen, birth)
    with pytest.raises(ValidationError) as exc:
        services.submit(draft)
    assert set(exc.value.message_dict) == {"unit", "answers", "documents", "result_delivery"}
    assert not Dossier.objects.exists()
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_unit_must_offer_the_procedure(birth, citizen, demo):
    draft = services.start_draft(citizen, birth)
    from congso.org.models import Unit

    district = Unit.objects.get(kind="district")  # birth registration is a commune procedure
    for bad in ["", "abc", "999999", district.pk]:
        with pytest.raises(ValidationError, match="Chọn nơi nộp"):
            services.set_unit(draft, bad)


def test_information_only_procedure_cannot_be_started(citizen, birth):
    birth.online_mode = "information"
    birth.save()
    with pytest.raises(ValidationError, match="chưa nhận hồ sơ trực tuyến"):
        services.start_draft(citizen, birth)


def test_image_upload_becomes_pdf(birth, citizen):
    draft = services.start_draft(citizen, birth)
    item = services.attach_upload(draft, required_ids(birth)[0], upload("anh.png", png_bytes()))
    assert item.content_type == "application/pdf"
    assert item.file.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00 not a document", "không đúng định dạng"),
        (b"", "rỗng"),
        (b"%PDF-1.4\nbroken", "không phải PDF hợp lệ"),
    ],
)
def test_bad_uploads_are_refused(birth, citizen, data, message):
    draft = services.start_draft(citizen, birth)
    with pytest.raises(ValidationError, match=message):
        services.attach_upload(draft, required_ids(birth)[0], upload("x.pdf", data))
    assert not draft.documents.exists()


def test_oversized_upload_is_refused(birth, citizen, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    draft = services.start_draft(citizen, birth)
    with pytest.raises(ValidationError, match="quá lớn"):
        services.attach_upload(draft, required_ids(birth)[0], upload())


def test_declaration_errors_are_vietnamese_and_keyed_by_field(birth, citizen):
    draft = services.start_draft(citizen, birth)
    errors = services.save_group(draft, 0, {"declarant.full_name": "A", "declarant.id_kind": "xyz"})
    assert errors["declarant.full_name"] == [
        "Họ, chữ đệm, tên người yêu cầu phải có ít nhất 2 ký tự."
    ]
    assert "declarant.id_kind" in errors and "declarant.residence" in errors
    assert all("is" not in m.split() for ms in errors.values() for m in ms)
    draft.refresh_from_db()
    assert draft.answers == {}
