"""The host attaches documents to a meeting (checked uploads, an optional document number); the
invited units download them, a unit not invited gets 404, and a fake file changes nothing."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congso.meetings import services
from congso.meetings.models import MeetingDocument


def _pdf(name="bao-cao.pdf"):
    import weasyprint

    return SimpleUploadedFile(name, weasyprint.HTML(string="<p>Báo cáo tuần</p>").write_pdf())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_host_attaches_and_invited_units_download(media, scheduled, people, client):
    upload = _pdf()
    [document] = services.attach_documents(
        scheduled,
        actor=people["clerk"],
        files=[upload],
        title="Báo cáo tình hình tuần",
        document_number="125/UBND-VP",
    )
    assert document.content_type == "application/pdf" and document.document_number == "125/UBND-VP"
    client.force_login(people["commune_a"])
    page = client.get(reverse("meetings:detail", args=[scheduled.pk])).content.decode()
    assert "Báo cáo tình hình tuần" in page and "125/UBND-VP" in page
    assert "Thêm tài liệu" not in page  # only the host manages documents
    url = reverse("meetings:document", args=[scheduled.pk, document.pk])
    upload.seek(0)
    assert client.get(url).getvalue() == upload.read()


def test_a_unit_not_invited_gets_404(media, make_meeting, people, tree, client):
    meeting = make_meeting(units=[tree["commune_a"]])
    [document] = services.attach_documents(meeting, actor=people["clerk"], files=[_pdf()])
    client.force_login(people["commune_b"])
    url = reverse("meetings:document", args=[meeting.pk, document.pk])
    assert client.get(url).status_code == 404
    client.force_login(people["commune_a"])
    assert client.get(url).status_code == 200


def test_bad_uploads_and_outsiders_change_nothing(media, scheduled, people, client):
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ not a pdf at all")
    with pytest.raises(ValidationError):
        services.attach_documents(scheduled, actor=people["clerk"], files=[_pdf("a.pdf"), fake])
    with pytest.raises(ValidationError, match="ít nhất một tệp"):
        services.attach_documents(scheduled, actor=people["clerk"], files=[])
    with pytest.raises(PermissionDenied):
        services.attach_documents(scheduled, actor=people["commune_a"], files=[_pdf()])
    assert not MeetingDocument.objects.exists()
    client.force_login(people["clerk"])
    response = client.post(
        reverse("meetings:add_documents", args=[scheduled.pk]),
        {"files": [io.BytesIO(b"MZ fake")], "title": "x"},
        follow=True,
    )
    assert response.status_code == 200 and not MeetingDocument.objects.exists()
    assert "Tệp" in response.content.decode()


def test_the_page_form_uploads_several_files(media, scheduled, people, client):
    client.force_login(people["clerk"])
    response = client.post(
        reverse("meetings:add_documents", args=[scheduled.pk]),
        {"files": [_pdf("mot.pdf"), _pdf("hai.pdf")], "document_number": "7/KH-UBND"},
    )
    assert response.status_code == 302
    assert sorted(MeetingDocument.objects.values_list("title", flat=True)) == ["hai.pdf", "mot.pdf"]


def _incoming(clerk, unit, notation="45/SNV-CCHC"):
    """A document in the district's incoming register, as its clerk registers it."""
    from congso.documents import services as documents

    arrival = documents.Arrival(
        unit=unit,
        doc_type="CV",
        subject="V/v triển khai chuyển đổi số cấp xã",
        author="Sở Nội vụ",
        notation=notation,
    )
    upload = _pdf("cong-van.pdf")
    return documents.register_incoming(arrival, [(upload.name, upload.read())], actor=clerk)


def test_host_attaches_a_registered_document_by_its_number(media, scheduled, people, tree):
    registered = _incoming(people["clerk"], tree["district"])
    [document] = services.attach_documents(
        scheduled, actor=people["clerk"], files=[], document_number=" 45/snv-cchc "
    )
    assert document.title == "V/v triển khai chuyển đổi số cấp xã"
    assert document.document_number == "45/snv-cchc"
    with document.file.open("rb") as handle:
        assert handle.read() == registered.current_version().read()


def test_a_number_not_in_the_actors_registers_attaches_nothing(media, scheduled, people, tree):
    with pytest.raises(ValidationError, match="Không tìm thấy văn bản số") as caught:
        services.attach_documents(
            scheduled, actor=people["clerk"], files=[], document_number="99/QĐ-UBND"
        )
    assert "document_number" in caught.value.message_dict
    assert not MeetingDocument.objects.exists()
