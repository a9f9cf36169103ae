"""Authority stops at the organ: a district leader oversees a commune's documents (reads them) but
does not approve, sign or issue in the commune's name — the commune's seal must never sit beside
the district chairman's signature."""

import pytest
from django.core.exceptions import ValidationError

from congso.documents import lifecycle, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_draft(people, tree, pdf_upload):
    """An outgoing document of commune A, submitted for approval by its specialist."""
    document = services.create_outgoing(
        services.Draft(
            unit=tree["commune_a"],
            doc_type="QĐ",
            subject="Về việc thành lập tổ công nghệ số cộng đồng",
            drafting_unit=tree["commune_a"],
            signer_position="Chủ tịch",
            recipient_units=[tree["commune_b"]],
        ),
        actor=people["specialist_a"],
        upload=pdf_upload(),
    )
    return services.transition(document, "submit", actor=people["specialist_a"])


def test_district_leader_reads_but_cannot_approve_a_commune_document(commune_draft, people):
    leader = people["leader"]
    assert services.visible_documents(leader).filter(pk=commune_draft.pk).exists()
    assert (
        lifecycle.allowed("outgoing", commune_draft.state, user=leader, organ=commune_draft.unit)
        == []
    )
    with pytest.raises(ValidationError, match="không có quyền"):
        services.transition(commune_draft, "approve", actor=leader)
    commune_draft.refresh_from_db()
    assert commune_draft.state == lifecycle.OutgoingState.IN_REVIEW


def test_district_leader_cannot_sign_a_commune_document(commune_draft, people):
    approved = services.transition(commune_draft, "approve", actor=people["leader_a"])
    with pytest.raises(ValidationError, match="không có quyền"):
        services.transition(approved, "sign", actor=people["leader"])


def test_district_leader_cannot_draft_in_a_commune_name(people, tree):
    assert tree["commune_a"] not in services.organs_for(people["leader"], lifecycle.DRAFT)
    assert tree["district"] in services.organs_for(people["leader"], lifecycle.DRAFT)


def test_commune_leader_approves_own_document(commune_draft, people):
    approved = services.transition(commune_draft, "approve", actor=people["leader_a"])
    assert approved.state == lifecycle.OutgoingState.APPROVED
