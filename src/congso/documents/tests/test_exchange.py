"""Exchange with organs outside the platform through edXML: an external recipient gets a package
and an e-mail; a package received is registered and acknowledged (03); recall and status
messages come back."""

import datetime as dt

import pytest
from django.utils import timezone

from congso.documents import edxml, services
from congso.documents.lifecycle import IncomingState
from congso.documents.models import Document
from congso.notify.models import Notification
from congso.signing.tests import support

pytestmark = pytest.mark.django_db

PROVINCE_DEPT = edxml.Organ("000.00.15.H40", "Sở Thông tin và Truyền thông tỉnh Nghệ An")


def test_external_recipient_gets_a_package_and_an_email(issued, tree):
    document = issued(
        external=[
            services.ExternalRecipient(
                PROVINCE_DEPT.name, PROVINCE_DEPT.agency_id, "stttt@nghean.gov.vn"
            )
        ]
    )
    recipient = document.recipients.get(unit__isnull=True)
    with recipient.package.open("rb") as handle:
        package = edxml.parse_package(handle.read())
    assert package.envelope.notation == "QĐ-UBND"
    assert package.envelope.number == "01"
    assert package.envelope.sender.agency_id == tree["district"].agency_id
    assert package.attachments[0].data == document.current_version().read()
    mail = Notification.objects.get(address="stttt@nghean.gov.vn")
    assert mail.template == "documents.dispatched"


def test_status_message_from_the_partner_is_shown(issued, people):
    document = issued(
        external=[services.ExternalRecipient(PROVINCE_DEPT.name, PROVINCE_DEPT.agency_id)]
    )
    message = edxml.StatusMessage(
        document_id=services.document_id(document),
        sender=PROVINCE_DEPT,
        recipient=edxml.Organ(document.unit.agency_id, document.unit.name),
        code="04",
        at=timezone.now(),
        staff_name="Nguyễn Thị Sở",
    )
    services.import_status(edxml.build_status(message), actor=people["clerk"])
    assert document.recipients.get(unit__isnull=True).status == "04"


def _package(tree, business_type=0, notation="UBND-VX"):
    envelope = edxml.Envelope(
        document_id=f"{PROVINCE_DEPT.agency_id},2026/11/20,45/{notation}",
        sender=PROVINCE_DEPT,
        recipients=[edxml.Organ(tree["commune_a"].agency_id, tree["commune_a"].name)],
        number="45",
        notation=notation,
        place="Nghệ An",
        issued_on=dt.date(2026, 11, 20),
        document_type="Công văn",
        subject="V/v triển khai nền tảng số",
        signer_name="Trần Văn Sở",
        signer_position="Giám đốc",
        business_type=business_type,
    )
    attachment = edxml.Attachment("cv-45.pdf", "application/pdf", support.simple_pdf("CV 45"))
    return edxml.build_package(envelope, [attachment])


def test_import_package_registers_and_recall(tree, people):
    document = services.import_package(tree["commune_a"], _package(tree), actor=people["clerk_a"])
    assert document.state == IncomingState.REGISTERED
    assert document.arrival_number == 1 and document.notation == "45/UBND-VX"
    assert document.doc_type == "CV"
    with pytest.raises(Exception, match="đã được vào sổ"):
        services.import_package(tree["commune_a"], _package(tree), actor=people["clerk_a"])
    services.import_package(
        tree["commune_a"], _package(tree, business_type=1), actor=people["clerk_a"]
    )
    document.refresh_from_db()
    assert document.recall_requested
    services.transition(document, "agree_recall", actor=people["clerk_a"])
    assert Document.objects.get(pk=document.pk).state == IncomingState.RECALLED


def test_bad_package_is_refused(tree, people):
    with pytest.raises(Exception) as refused:
        services.import_package(tree["commune_a"], b"<not-edxml/>", actor=people["clerk_a"])
    assert refused.type.__name__ == "ValidationError"
    assert not Document.objects.exists()
