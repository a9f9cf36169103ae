"""An official at the one-stop desk checks a citizen's card and proves the account's ID number:
only a desk officer may, who and when are kept on the account and in the audit log, and a
refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congso.accounts import registration, services
from congso.accounts.models import IdProof, Role
from congso.accounts.tests.factories import PASSWORD, CitizenFactory, UserFactory
from congso.core.models import AuditRecord

NUMBER = "040090001234"


@pytest.fixture
def officer(tree, official_at):
    return official_at(tree["desk"], Role.DESK_OFFICER, username="motcua")


@pytest.fixture
def person(db):
    return UserFactory(username="congdan.an", full_name="Nguyễn Văn An")


def test_desk_officer_proves_the_number_and_it_is_audited(officer, person, tree):
    squatter = registration.register_citizen(
        full_name="Kẻ Giả", id_number=NUMBER, contact="gia@example.vn", password_hash="!"
    )
    services.prove_id_at_desk(person, NUMBER, actor=officer)
    person.refresh_from_db()
    assert (person.id_number, person.id_proven_by) == (NUMBER, IdProof.DESK)
    assert person.id_checked_by == officer and person.id_proven_at is not None
    record = AuditRecord.objects.get(action="accounts.id.proven_at_desk")
    assert record.object_id == str(person.pk) and record.unit_id == tree["desk"].pk
    assert record.data["checked_by"] == "motcua"
    squatter.refresh_from_db()
    assert squatter.declared_id_number == "" and squatter.id_number is None


def test_only_a_desk_officer_may(tree, official_at, person):
    specialist = official_at(tree["department"], Role.SPECIALIST)
    with pytest.raises(PermissionDenied):
        services.prove_id_at_desk(person, NUMBER, actor=specialist)
    person.refresh_from_db()
    assert person.id_number is None
    assert not AuditRecord.objects.filter(action="accounts.id.proven_at_desk").exists()


@pytest.mark.parametrize(
    ("number", "message"),
    [("12345", "12 chữ số"), ("040190001234", "Giới tính")],  # the card says a woman
)
def test_a_wrong_number_is_refused(officer, number, message):
    person = UserFactory(sex="male")
    with pytest.raises(ValidationError, match=message):
        services.prove_id_at_desk(person, number, actor=officer)
    person.refresh_from_db()
    assert person.id_number is None


def test_a_proven_number_is_not_changed_at_the_desk(officer):
    person = CitizenFactory(id_number=NUMBER)
    with pytest.raises(ValidationError, match="đã được xác minh"):
        services.prove_id_at_desk(person, "040090005678", actor=officer)


def test_a_number_proven_on_another_account_is_refused(officer, person):
    CitizenFactory(id_number=NUMBER)
    with pytest.raises(ValidationError, match="tài khoản khác"):
        services.prove_id_at_desk(person, NUMBER, actor=officer)
    person.refresh_from_db()
    assert person.id_number is None


def test_through_the_desk_page(client, officer, person):
    client.login(username="motcua", password=PASSWORD)
    url = reverse("accounts:prove_id")
    refused = client.post(url, {"person": "congdan.an", "id_number": "abc"})
    assert refused.status_code == 200 and "chỉ gồm chữ số" in refused.content.decode()
    unknown = client.post(url, {"person": "khong.co", "id_number": NUMBER})
    assert "Không tìm thấy tài khoản công dân" in unknown.content.decode()
    done = client.post(url, {"person": "congdan.an", "id_number": NUMBER})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.id_proven_by == IdProof.DESK


def test_the_desk_page_is_closed_to_others(client, tree, official_at):
    official_at(tree["department"], Role.SPECIALIST, username="chuyenvien")
    client.login(username="chuyenvien", password=PASSWORD)
    assert client.get(reverse("accounts:prove_id")).status_code == 403
