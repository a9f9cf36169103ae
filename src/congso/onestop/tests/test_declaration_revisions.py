"""The desk enters a walk-in applicant's declaration or corrects one: checked against the form,
versioned (who, when, why, before/after), the citizen's original kept, shown in the history."""

import copy

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congso.catalog.models import Procedure
from congso.onestop import services
from congso.onestop.models import DeclarationRevision
from congso.portal.tests.examples import MARITAL_STATUS_ANSWERS


@pytest.fixture
def people(demo):
    return demo["people"]


@pytest.fixture
def procedure(demo):
    return Procedure.objects.get(code="1.004873")


@pytest.fixture
def walk_in(demo, intake_for, people, procedure):
    return services.receive_at_desk(
        people["motcua.nghilong"], intake_for(procedure, demo["units"]["Xã Nghi Long"])
    )


@pytest.fixture
def online(demo, online_intake_for, people, procedure):
    intake = online_intake_for(
        procedure, demo["units"]["Xã Nghi Long"], form_data=MARITAL_STATUS_ANSWERS
    )
    return services.file_online(people["congdan.binh"], intake)


def _corrected(purpose: str) -> dict:
    data = copy.deepcopy(MARITAL_STATUS_ANSWERS)
    data["purpose"] = purpose
    return data


def test_a_first_entry_needs_no_reason_and_keeps_the_empty_before(people, walk_in):
    entry = services.correct_declaration(
        walk_in, people["motcua.nghilong"], MARITAL_STATUS_ANSWERS, reason=""
    )
    walk_in.refresh_from_db()
    assert walk_in.form_data == MARITAL_STATUS_ANSWERS
    assert entry.before == {} and entry.reason == "Nhập tờ khai cho người nộp trực tiếp"
    assert entry.by == people["motcua.nghilong"] and entry.by_name == "Võ Thị Hoa"


def test_a_correction_keeps_the_citizens_original(people, online):
    desk = people["motcua.nghilong"]
    services.correct_declaration(
        online, desk, _corrected("Để đăng ký kết hôn tại xã Nghi Long"), reason="Sai mục đích"
    )
    services.correct_declaration(online, desk, _corrected("Để mua nhà"), reason="Đổi lần hai")
    first, second = DeclarationRevision.objects.filter(dossier=online)
    assert first.before == MARITAL_STATUS_ANSWERS  # as the citizen filed it
    assert second.before["purpose"] == "Để đăng ký kết hôn tại xã Nghi Long"
    online.refresh_from_db()
    assert online.form_data["purpose"] == "Để mua nhà"


def test_a_correction_without_reason_changes_nothing(people, online):
    with pytest.raises(ValidationError) as refused:
        services.correct_declaration(
            online, people["motcua.nghilong"], _corrected("Khác"), reason=" "
        )
    assert refused.value.message_dict["reason"] == ["Nhập lý do sửa tờ khai."]
    online.refresh_from_db()
    assert online.form_data == MARITAL_STATUS_ANSWERS
    assert not DeclarationRevision.objects.exists()


def test_a_declaration_the_form_refuses_changes_nothing(people, online):
    bad = _corrected("Khác")
    bad["person"]["id_number"] = "12"
    with pytest.raises(ValidationError) as refused:
        services.correct_declaration(online, people["motcua.nghilong"], bad, reason="Sửa số")
    assert "person.id_number" in refused.value.message_dict
    assert not DeclarationRevision.objects.exists()


def test_the_same_declaration_is_not_a_change(people, online):
    with pytest.raises(ValidationError, match="không có thay đổi"):
        services.correct_declaration(
            online, people["motcua.nghilong"], MARITAL_STATUS_ANSWERS, reason="x"
        )


@pytest.mark.parametrize("who", ["congchuc.nghilong", "lanhdao.nghilong", "motcua.nghiloc"])
def test_only_the_receiving_desk_corrects(people, online, who):
    with pytest.raises(PermissionDenied):
        services.correct_declaration(online, people[who], _corrected("Khác"), reason="x")


def test_a_stale_page_is_told(people, online):
    with pytest.raises(services.Conflict):
        services.correct_declaration(
            online,
            people["motcua.nghilong"],
            _corrected("Khác"),
            reason="x",
            revision=online.revision - 1 if online.revision > 1 else 99,
        )


def test_the_desk_page_uses_the_portal_form_and_the_history_shows_the_change(
    client, people, online
):
    client.force_login(people["motcua.nghilong"])
    url = reverse("onestop:declaration", args=[online.code])
    html = client.get(url).content.decode()
    assert 'name="person.date_of_birth"' in html and 'value="03/08/1995"' in html
    post = {
        "revision": online.revision,
        "declarant.full_name": "Trần Thị Bình",
        "declarant.id_kind": "citizen_id",
        "declarant.id_number": "040195004321",
        "declarant.residence": "Xóm 5, xã Nghi Long",
        "person.full_name": "Trần Thị Bình",
        "person.date_of_birth": "03/08/1995",
        "person.id_number": "040195004321",
        "person.residence": "Xóm 5, xã Nghi Long",
        "person.sex": "female",
        "marital_status": "never_married",
        "purpose": "Để đăng ký kết hôn",
        "commitment": "on",
    }
    refused = client.post(url, {**post, "purpose": "Để mua nhà", "reason": ""})
    assert refused.status_code == 400 and "Nhập lý do sửa tờ khai." in refused.content.decode()
    response = client.post(url, {**post, "purpose": "Để mua nhà", "reason": "Khai nhầm"})
    assert response.status_code == 302
    page = client.get(reverse("onestop:dossier", args=[online.code])).content.decode()
    assert 'data-event="correct_declaration"' in page  # in the dossier's timeline
    assert "Khai nhầm" in page
    assert "<del>Để đăng ký kết hôn</del> → <ins>Để mua nhà</ins>" in page


def test_the_desk_page_is_refused_to_the_specialist(client, people, online):
    client.force_login(people["congchuc.nghilong"])
    response = client.get(reverse("onestop:declaration", args=[online.code]))
    assert response.status_code == 403
