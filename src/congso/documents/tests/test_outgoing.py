"""The outgoing journey through the services: draft → review with versions and comments →
personal signature → issue (number, seal signature on a new file, dispatch) → the commune's
incoming register has it at once, acknowledged (01, 03); both signatures valid for ``pdfsig``."""

import hashlib

import pytest

from congso.core.models import AuditRecord
from congso.documents import services
from congso.documents.lifecycle import IncomingState, OutgoingState
from congso.documents.models import Document, VersionKind
from congso.signing.tests import support

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_issue_numbers_seals_and_delivers(issued, tree, people, keys, tmp_path):
    document = issued()
    assert document.state == OutgoingState.ISSUED
    assert document.notation == "01/QĐ-UBND"
    kinds = list(document.versions.order_by("number").values_list("kind", flat=True))
    assert kinds == [VersionKind.DRAFT, VersionKind.PERSONAL_SIGNED, VersionKind.ISSUED]
    personal = document.versions.get(kind=VersionKind.PERSONAL_SIGNED)
    final = document.versions.get(kind=VersionKind.ISSUED)
    # the personal-signed file is kept as it was, each file with its own hash
    assert hashlib.sha256(personal.read()).hexdigest() == personal.sha256
    assert personal.signed_file.sha256 == personal.sha256
    assert final.sha256 != personal.sha256
    path = tmp_path / "final.pdf"
    path.write_bytes(final.read())
    nssdir = support.nss_database(tmp_path / "nss", keys["root_pem"])
    result = support.pdfsig(path, nssdir=nssdir)
    assert result.output.count("Signature is Valid") == 2, result.output

    copy = Document.objects.get(source=document)
    assert copy.unit == tree["commune_a"]
    assert copy.state == IncomingState.REGISTERED
    assert copy.arrival_number == 1
    assert copy.notation == "01/QĐ-UBND"
    recipient = document.recipients.get()
    assert list(recipient.statuses.values_list("code", flat=True)) == ["01", "03"]
    assert AuditRecord.objects.filter(action="documents.issue").count() == 1


def test_second_issue_of_the_year_gets_the_next_number(issued):
    first, second = issued(), issued()
    assert (first.number, second.number) == (1, 2)
    assert second.notation == "02/QĐ-UBND"


def test_letters_carry_the_drafting_unit(issued):
    document = issued(doc_type="CV", subject="V/v báo cáo chuyển đổi số quý III")
    assert document.notation == "01/UBND-TP"


def test_versions_and_comments_during_review(draft, people, pdf_upload):
    document = draft()
    services.add_version(document, pdf_upload("Ban sua lan 2"), actor=people["specialist"])
    document = services.transition(document, "submit", actor=people["specialist"])
    document = services.transition(
        document, "return", actor=people["leader"], comment="Bổ sung căn cứ pháp lý"
    )
    assert document.state == OutgoingState.DRAFT
    assert document.versions.count() == 2
    assert document.comments.get().text == "Bổ sung căn cứ pháp lý"


def test_composed_draft_is_a_decree_30_pdf(people, tree):
    import subprocess

    document = services.create_outgoing(
        services.Draft(
            unit=tree["district"],
            doc_type="KH",
            subject="Kế hoạch chuyển đổi số năm 2027",
            body="Căn cứ Nghị quyết của Huyện ủy.\nTriển khai các nhiệm vụ trọng tâm.",
            signer=people["leader"],
            signer_position="Chủ tịch",
            recipient_units=[tree["commune_a"]],
        ),
        actor=people["specialist"],
    )
    version = document.current_version()
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=version.read(), capture_output=True, check=True
    ).stdout.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "/KH-UBND" in text
    assert "KẾ HOẠCH" in text
    assert "Kế hoạch chuyển đổi số năm 2027" in text
    assert "Nơi nhận:" in text and tree["commune_a"].name in text
    fonts = subprocess.run(
        ["pdffonts", "-"], input=version.read(), capture_output=True
    ).stdout.decode()
    assert "Liberation-Serif" in fonts


def test_recall_asks_platform_recipients_who_agree(issued, people):
    document = issued()
    document = services.transition(document, "recall", actor=people["leader"])
    copy = Document.objects.get(source=document)
    assert copy.recall_requested
    services.transition(copy, "agree_recall", actor=people["clerk_a"])
    recipient = document.recipients.get()
    assert list(recipient.statuses.values_list("code", flat=True)) == ["01", "03", "13", "15"]


def test_replacing_document_marks_old_copies(issued, people):
    old = issued()
    new = issued(replaces=old)
    assert new.replaces == old
    assert Document.objects.get(source=old).recall_requested
    assert not Document.objects.get(source=new).recall_requested
