"""Incoming documents: registration with a gap-free arrival number, OCR text beside the original
(never modifying it), presentation, assignment with a due date in working days, handling and the
status messages back to the sending platform unit; e-mail registration."""

import datetime as dt
from email.message import EmailMessage

import pytest
from django.core.files.storage import default_storage

from congso.documents import services
from congso.documents.lifecycle import IncomingState
from congso.documents.models import Document
from congso.signing.tests import support

pytestmark = pytest.mark.django_db


def _arrival(tree, **extra):
    return services.Arrival(
        unit=tree["commune_a"],
        doc_type="CV",
        subject="V/v rà soát hộ nghèo",
        author="Sở Lao động - Thương binh và Xã hội",
        notation="125/SLĐTBXH-BTXH",
        **extra,
    )


def test_registration_numbers_and_extracts_text(
    tree, people, pdf_upload, django_capture_on_commit_callbacks
):
    upload = pdf_upload("Ra soat ho ngheo")
    original = upload.read()
    upload.seek(0)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = services.register_upload(_arrival(tree), upload, actor=people["clerk_a"])
    assert len(callbacks) == 1  # OCR runs after the commit, outside the request
    second = services.register_upload(_arrival(tree), pdf_upload(), actor=people["clerk_a"])
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    first.refresh_from_db()
    assert "Ra soat ho ngheo" in first.text
    version = first.versions.get()
    assert default_storage.exists(f"{version.file.name}.txt")
    assert version.read() == original
    assert "ra soat ho ngheo" in first.search_text


def test_assignment_due_date_in_working_days_and_statuses(issued, people, tree):
    outgoing = issued()
    copy = Document.objects.get(source=outgoing)
    copy = services.transition(copy, "present", actor=people["clerk_a"])
    copy = services.transition(
        copy,
        "assign",
        actor=people["leader_a"],
        lead_unit=tree["commune_a"],
        lead_user=people["specialist_a"],
        due_days=5,
    )
    assert copy.state == IncomingState.ASSIGNED
    assert copy.due_on is not None
    assert copy.due_on >= dt.date.today() + dt.timedelta(days=5)
    copy = services.transition(copy, "start", actor=people["specialist_a"])
    services.add_comment(copy, "Đã giao thôn rà soát", actor=people["specialist_a"])
    copy = services.transition(copy, "finish", actor=people["specialist_a"])
    assert copy.state == IncomingState.DONE and copy.done_at
    codes = list(outgoing.recipients.get().statuses.values_list("code", flat=True))
    assert codes == ["01", "03", "04", "05", "06"]


def test_assignment_needs_a_lead_unit(issued, people):
    copy = Document.objects.get(source=issued())
    copy = services.transition(copy, "present", actor=people["clerk_a"])
    with pytest.raises(Exception, match="đơn vị chủ trì"):
        services.transition(copy, "assign", actor=people["leader_a"])
    copy.refresh_from_db()
    assert copy.state == IncomingState.PRESENTED


def test_register_from_email(tree, people):
    message = EmailMessage()
    message["From"] = "Sở Nội vụ <snv@nghean.gov.vn>"
    message["Subject"] = "Công văn về tuyển dụng công chức cấp xã"
    message.set_content("Kính gửi UBND xã")
    message.add_attachment(
        support.simple_pdf("Tuyen dung"),
        maintype="application",
        subtype="pdf",
        filename="cv-tuyen-dung.pdf",
    )
    document = services.register_email(
        tree["commune_a"], message.as_bytes(), actor=people["clerk_a"]
    )
    assert document.subject == "Công văn về tuyển dụng công chức cấp xã"
    assert "snv@nghean.gov.vn" in document.author
    assert document.versions.get().name == "cv-tuyen-dung.pdf"


def test_a_commune_sees_only_its_own_documents(issued, people, tree):
    issued()
    assert services.visible_documents(people["clerk_a"]).count() == 1
    assert services.visible_documents(people["clerk_b"]).count() == 0
    assert services.visible_documents(people["clerk"]).count() == 1  # the district's outgoing
