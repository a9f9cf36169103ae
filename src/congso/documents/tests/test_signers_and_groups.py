"""Signers by their position's authority (Decree 30/2020, art. 13) and recipient groups chosen in
one tick and expanded at sending."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from congso.accounts.models import Role
from congso.accounts.tests.factories import PositionFactory
from congso.demo.documents import signed_on_demo_phone
from congso.org.models import UnitKind
from congso.org.services import create_unit

from .. import recipients, services
from ..models import Document
from ..signers import eligible_signers

pytestmark = pytest.mark.slow


@pytest.fixture
def deputy(tree, official_at):
    return official_at(tree["district"], Role.DEPUTY_LEADER, full_name="Bùi Văn Phó")


def test_leaders_and_deputies_are_offered_with_their_authority_never_clerks_or_admins(
    people, tree, deputy, official_at
):
    official_at(tree["district"], Role.SYSTEM_ADMIN, full_name="Quản Trị Viên")
    offered = eligible_signers(tree["district"])
    assert [s.user for s in offered] == [people["leader"], deputy]
    assert offered[0].block.splitlines() == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert offered[1].block.splitlines() == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
    acting = PositionFactory(
        unit=tree["commune_a"], role=Role.LEADER, title="Quyền Chủ tịch UBND xã"
    ).user
    block = next(s.block for s in eligible_signers(tree["commune_a"]) if s.user == acting)
    assert block.splitlines()[-1] == "Q. CHỦ TỊCH"


def test_a_clerk_as_signer_is_refused_and_nothing_is_drafted(draft, people):
    with pytest.raises(ValidationError) as refused:
        draft(signer=people["clerk"])
    assert "lãnh đạo hoặc cấp phó" in refused.value.message_dict["signer"][0]
    assert not Document.objects.exists()


def test_the_form_offers_only_eligible_signers_and_the_groups(client, people, tree, deputy):
    client.force_login(people["specialist"])
    html = client.get(reverse("documents:create")).content.decode()
    assert "Bùi Văn Phó" in html and "KT. CHỦ TỊCH" in html
    assert "Trần Thị Thư" not in html  # the clerk
    assert "Tất cả xã, thị trấn (2 nơi)" in html


def test_all_communes_in_one_tick_expanded_when_sent(issued, tree, people):
    document = issued(recipient_units=[], recipient_groups=[recipients.COMMUNES])
    assert document.recipient_groups == ["communes"]
    assert "Tất cả xã, thị trấn" in document.recipients_text
    names = set(document.recipients.values_list("name", flat=True))
    assert names == {"UBND xã A", "UBND xã B"}


def test_a_commune_created_before_sending_receives_it(draft, tree, people, keys):
    document = draft(recipient_units=[], recipient_groups=[recipients.COMMUNES])
    create_unit(parent=tree["district"], name="UBND xã C", kind=UnitKind.COMMUNE)
    for name, who in (("submit", "specialist"), ("approve", "leader")):
        document = services.transition(document, name, actor=people[who])
    document = signed_on_demo_phone(document, people["leader"])
    document = services.transition(document, "issue", actor=people["clerk"])
    assert "UBND xã C" in set(document.recipients.values_list("name", flat=True))


def test_a_saved_list_is_offered_again_and_another_organs_list_refused(draft, tree):
    draft(recipient_units=[tree["commune_b"]], save_list_as="Các xã ven biển")
    offered = dict(recipients.groups(tree["district"]))
    key = next(k for k, label in offered.items() if label == "Các xã ven biển")
    assert [u.name for u in recipients.members(tree["district"], key)] == ["UBND xã B"]
    with pytest.raises(ValidationError):
        recipients.check(tree["commune_a"], [key])


def test_the_api_refuses_a_clerk_as_signer_and_expands_a_group(people, tree):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(people["specialist"])
    fields = {
        "direction": "outgoing",
        "unit": tree["district"].pk,
        "doc_type": "CV",
        "subject": "Về việc rà soát thủ tục",
        "body": "Đề nghị các xã rà soát.",
        "signer": people["clerk"].pk,
        "recipient_groups": ["communes"],
    }
    refused = client.post("/api/v1/documents/", fields, format="json")
    assert refused.status_code == 400
    assert "lãnh đạo hoặc cấp phó" in refused.json()["error"]["fields"]["signer"][0]
    assert not Document.objects.exists()
    created = client.post(
        "/api/v1/documents/", {**fields, "signer": people["leader"].pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    document = Document.objects.get()
    assert document.recipient_groups == ["communes"]
    assert document.signer_position  # the signer's title when none was typed
