"""Nothing typed is lost, nothing asked twice: the declaration starts from the VNeID identity,
the identity paper is not asked of a VNeID account (Decree 45/2020/NĐ-CP), "Lưu nháp" keeps
what is on the page, a chosen file goes up with the page's button, dates are checked."""

import datetime as dt

import pytest
from django.urls import reverse

from congso.accounts.tests.factories import CitizenFactory
from congso.catalog.models import Procedure
from congso.catalog.services import is_identity_to_present
from congso.portal import services
from congso.portal.models import Draft

from .conftest import required_ids, upload


@pytest.fixture
def vneid(db):
    return CitizenFactory(
        full_name="Lê Văn Cường",
        id_proven_by="eid",
        phone="+84912000333",
        email="cuong@example.vn",
        address="Xóm 1, xã Nghi Long",
    )


@pytest.fixture
def marital(demo):
    return Procedure.objects.get(code="1.004873")


def test_a_vneid_account_starts_with_its_identity(vneid, marital):
    draft = services.start_draft(vneid, marital)
    assert draft.answers == {
        "declarant": {
            "full_name": "Lê Văn Cường",
            "id_kind": "citizen_id",
            "id_number": vneid.id_number,
            "residence": "Xóm 1, xã Nghi Long",
            "phone": "0912000333",
            "email": "cuong@example.vn",
        }
    }  # only the applicant's section; the person concerned may be someone else


def test_an_identity_not_from_vneid_prefills_nothing(citizen, marital):
    assert services.start_draft(citizen, marital).answers == {}


def test_the_identity_paper_is_not_asked_of_a_vneid_account(client, vneid, marital, commune):
    version = marital.current_version()
    identity = [d for d in version.documents.all() if is_identity_to_present(d)]
    assert len(identity) == 1
    draft = services.start_draft(vneid, marital)
    assert services.waived_documents(draft) == {identity[0].pk}
    client.force_login(vneid)
    page = client.get(reverse("portal:draft_documents", args=[draft.public_id])).content
    assert f'data-testid="waived-{identity[0].pk}"'.encode() in page
    for pk in set(required_ids(marital)) - {identity[0].pk}:
        services.attach_upload(draft, pk, upload())
    assert "documents" not in services.problems(draft)


def test_the_identity_paper_is_still_asked_otherwise(citizen, marital):
    draft = services.start_draft(citizen, marital)
    assert services.waived_documents(draft) == set()
    assert "documents" in services.problems(draft)


def test_save_draft_keeps_what_is_on_the_page_even_unfinished(client, citizen, marital):
    client.force_login(citizen)
    draft = services.start_draft(citizen, marital)
    url = reverse("portal:draft_form", args=[draft.public_id, 0])
    response = client.post(url, {"declarant.full_name": "Trần", "save_draft": "1"})
    assert response.status_code == 302 and response.url == reverse("portal:my_dossiers")
    draft.refresh_from_db()
    assert draft.answers["declarant"] == {"full_name": "Trần"}


def test_a_chosen_file_goes_up_with_continue(client, citizen, birth):
    client.force_login(citizen)
    draft = services.start_draft(citizen, birth)
    first, *others = required_ids(birth)
    assert others  # birth registration needs more than one document
    url = reverse("portal:draft_documents", args=[draft.public_id])
    response = client.post(url, {"continue": "1", f"file-{first}": upload()})
    assert response.status_code == 200  # the other required documents are still missing
    assert Draft.objects.get().documents.filter(required_document_id=first).exists()


def test_a_chosen_file_goes_up_with_save_draft(client, citizen, marital):
    client.force_login(citizen)
    draft = services.start_draft(citizen, marital)
    pk = required_ids(marital)[0]
    url = reverse("portal:draft_documents", args=[draft.public_id])
    response = client.post(url, {"save_draft": "1", f"file-{pk}": upload()})
    assert response.url == reverse("portal:my_dossiers")
    assert Draft.objects.get().documents.filter(required_document_id=pk).exists()


def test_a_birth_in_the_future_is_refused_on_the_page(client, citizen, marital):
    client.force_login(citizen)
    draft = services.start_draft(citizen, marital)
    person = next(
        g.index
        for g in services.declaration_form.groups(marital.current_version().form_schema)
        if g.names == ["person"]
    )
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    url = reverse("portal:draft_form", args=[draft.public_id, person])
    page = client.post(url, {"person.date_of_birth": tomorrow}).content.decode()
    assert "Ngày, tháng, năm sinh không được sau ngày hôm nay." in page
    assert f'value="{tomorrow}"' in page  # kept as typed, dd/mm/yyyy
