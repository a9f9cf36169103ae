"""Việc của tôi (issue 17): what waits for each official, from every app, through one contract."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from congso.catalog.models import Procedure
from congso.core import awaiting
from congso.documents.lifecycle import IncomingState, OutgoingState
from congso.documents.models import Direction, Document, Urgency
from congso.onestop import services as onestop
from congso.onestop.services import ApplicantData, Intake, ReceivedDocument

pytestmark = pytest.mark.django_db


def _received(people, commune):
    version = Procedure.objects.get(code="1.004873").current_version()
    documents = [
        ReceivedDocument(required_document_id=d.pk, name=d.name, copy_kind=d.copy_kind, count=1)
        for d in version.documents.all()
        if d.mandatory and not d.is_declaration
    ]
    intake = Intake(
        procedure_code="1.004873",
        unit_id=commune.pk,
        applicant=ApplicantData(name="Nguyễn Thị Mai", id_number="040190001234"),
        documents=documents,
    )
    return onestop.receive_at_desk(people["motcua.nghilong"], intake)


def _document(commune, state, direction=Direction.OUTGOING, **fields) -> Document:
    return Document.objects.create(
        direction=direction,
        unit=commune,
        state=state,
        doc_type="CV",
        subject="Về việc thử",
        **fields,
    )


def _references(user) -> set[str]:
    _total, items = awaiting.awaiting(user)
    return {item.reference for item in items}


def test_the_desk_finds_the_dossier_it_must_hand_over_and_the_leader_does_not(people, commune):
    dossier = _received(people, commune)
    assert dossier.code in _references(people["motcua.nghilong"])
    assert dossier.code not in _references(people["lanhdao.nghilong"])


def test_a_document_waits_for_its_chosen_signer_only(people, commune):
    leader = people["lanhdao.nghilong"]
    mine = _document(commune, OutgoingState.APPROVED, signer=leader, notation="K-1")
    other = _document(commune, OutgoingState.APPROVED, signer=people["admin"], notation="K-2")
    seen = _references(leader)
    assert mine.notation in seen and other.notation not in seen


def test_the_clerk_issues_and_presents_what_the_leader_signed_and_registered(people, commune):
    clerk = people["vanthu.nghilong"]
    issue = _document(commune, OutgoingState.SIGNED, notation="PH-1")
    arrived = _document(commune, IncomingState.REGISTERED, Direction.INCOMING, notation="DEN-1")
    assert {issue.notation, arrived.notation} <= _references(clerk)
    assert issue.notation not in _references(people["motcua.nghilong"])


def test_another_communes_documents_never_reach_this_leader(people, demo):
    elsewhere = demo["units"]["Xã Nghi Lâm"]
    _document(elsewhere, OutgoingState.IN_REVIEW, notation="NL-1")
    assert "NL-1" not in _references(people["lanhdao.nghilong"])


def test_late_first_then_due_soonest_then_most_urgent():
    now = timezone.now()
    hour = dt.timedelta(hours=1)

    def item(ref, due, urgency=0):
        return awaiting.Item("x", "k", "t", ref, "/", due_at=due, urgency=urgency)

    items = [
        item("later", now + 5 * hour),
        item("none", None, urgency=3),
        item("late", now - hour),
        item("soon-urgent", now + hour, urgency=2),
        item("soon", now + hour),
    ]
    ordered = [i.reference for i in sorted(items, key=awaiting.pressing(now))]
    assert ordered == ["late", "soon-urgent", "soon", "later", "none"]


def test_the_page_lists_the_items_with_urgency_and_late_in_words(client, people, commune):
    clerk = people["vanthu.nghilong"]
    yesterday = timezone.localdate() - dt.timedelta(days=2)
    _document(
        commune,
        IncomingState.REGISTERED,
        Direction.INCOMING,
        notation="DEN-9",
        urgency=Urgency.VERY_URGENT,
        due_on=yesterday,
    )
    client.force_login(clerk)
    page = client.get(reverse("inbox:mine")).content.decode()
    assert "DEN-9" in page and "Thượng khẩn" in page and "Quá hạn" in page


def test_the_header_count_is_cached_and_the_inbox_refreshes_it(
    client, people, commune, django_assert_max_num_queries
):
    clerk = people["vanthu.nghilong"]
    cache.clear()
    _document(commune, OutgoingState.SIGNED, notation="PH-2")
    client.force_login(clerk)
    client.get(reverse("inbox:mine"))
    assert (
        '<span class="header-count">1' in client.get(reverse("accounts:workspace")).content.decode()
    )
    _document(commune, OutgoingState.SIGNED, notation="PH-3")
    page = client.get(reverse("inbox:mine")).content.decode()
    assert "PH-3" in page and '<span class="header-count">2' in page


def test_citizens_have_no_inbox(client, people):
    client.force_login(people["congdan.an"])
    assert client.get(reverse("inbox:mine")).status_code == 403
    assert client.get("/api/v1/inbox/").status_code == 403


def test_the_api_gives_the_same_items_to_a_mobile_client(client, people, commune):
    _document(commune, OutgoingState.IN_REVIEW, notation="DUYET-1")
    client.force_login(people["lanhdao.nghilong"])
    body = client.get("/api/v1/inbox/").json()
    assert body["count"] >= 1
    assert "DUYET-1" in {item["reference"] for item in body["items"]}
    assert all(item["url"].startswith("/") for item in body["items"])
