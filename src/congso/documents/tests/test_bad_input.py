"""Bad input is refused with a clear Vietnamese message; nothing changes and no number is used
twice or lost."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.core.models import Counter
from congso.documents import services
from congso.documents.lifecycle import OutgoingState
from congso.documents.models import Document

pytestmark = pytest.mark.django_db


def _encrypted_pdf() -> bytes:
    import io

    from pyhanko.pdf_utils.crypt import StandardSecurityHandler
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    from congso.signing.tests import support

    reader = PdfFileReader(io.BytesIO(support.simple_pdf()))
    writer = copy_into_new_writer(reader)
    writer.security_handler = StandardSecurityHandler.build_from_pw("matkhau")
    writer._assign_security_handler(writer.security_handler)
    out = io.BytesIO()
    writer.write(out)
    del IncrementalPdfFileWriter
    return out.getvalue()


def test_not_a_pdf(draft):
    upload = SimpleUploadedFile("du-thao.pdf", b"GIF89a not a pdf", "application/pdf")
    with pytest.raises(ValidationError, match="không đúng định dạng"):
        draft(upload=upload)
    assert Document.objects.count() == 0


def test_encrypted_pdf(draft):
    try:
        data = _encrypted_pdf()
    except Exception:  # noqa: BLE001
        pytest.skip("pyHanko cannot build an encrypted PDF here")
    with pytest.raises(ValidationError, match="mật khẩu"):
        draft(upload=SimpleUploadedFile("khoa.pdf", data, "application/pdf"))
    assert Document.objects.count() == 0


@pytest.mark.parametrize("secrecy", ["mat", "toi_mat", "tuyet_mat"])
def test_secret_documents_stay_on_paper(draft, tree, people, pdf_upload, secrecy):
    with pytest.raises(ValidationError, match="bản giấy"):
        draft(secrecy=secrecy)
    arrival = services.Arrival(
        unit=tree["commune_a"],
        doc_type="CV",
        subject="Mật",
        author="Công an tỉnh",
        secrecy=secrecy,
    )
    with pytest.raises(ValidationError, match="bản giấy"):
        services.register_upload(arrival, pdf_upload(), actor=people["clerk_a"])
    assert Document.objects.count() == 0
    assert not Counter.objects.exists()


def test_transition_not_allowed(draft, people):
    document = draft()
    with pytest.raises(ValidationError, match="Không thể “Cấp số và phát hành”"):
        services.transition(document, "issue", actor=people["clerk"])
    with pytest.raises(ValidationError, match="không có quyền"):
        services.transition(document, "submit", actor=people["clerk_b"])  # another organ
    document.refresh_from_db()
    assert (document.state, document.revision) == (OutgoingState.DRAFT, 0)


def test_stale_revision_is_a_conflict(draft, people):
    document = draft()
    services.transition(document, "submit", actor=people["specialist"], revision=0)
    with pytest.raises(services.Conflict):
        services.transition(document, "approve", actor=people["leader"], revision=0)


def test_signer_without_certificate(draft, people):
    document = draft()
    document = services.transition(document, "submit", actor=people["specialist"])
    document = services.transition(document, "approve", actor=people["leader"])
    with pytest.raises(ValidationError, match="chưa có chứng thư số"):
        services.start_signing(document, actor=people["leader"])
    with pytest.raises(ValidationError, match="token USB hoặc dịch vụ ký số từ xa"):
        services.transition(document, "sign", actor=people["leader"])
    document.refresh_from_db()
    assert document.state == OutgoingState.APPROVED
    assert document.versions.count() == 1


def test_failed_seal_gives_the_number_back(draft, people, keys):
    """The seal certificate is revoked: issuing fails, the number is not consumed."""
    from congso.demo.documents import signed_on_demo_phone
    from congso.signing.services import revoke_certificate

    document = draft()
    for name, who in (("submit", "specialist"), ("approve", "leader")):
        document = services.transition(document, name, actor=people[who])
    document = signed_on_demo_phone(document, people["leader"])
    revoke_certificate(keys["seal"].certificate)
    with pytest.raises(ValidationError, match="còn hiệu lực"):
        services.transition(document, "issue", actor=people["clerk"])
    document.refresh_from_db()
    assert document.state == OutgoingState.SIGNED and document.number is None
    assert (
        not Counter.objects.filter(key__startswith="documents:outgoing").exclude(value=0).exists()
    )
