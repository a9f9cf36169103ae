"""Drafts uploaded as Word files and partners' status messages brought in by the clerk.

DOCX: kept byte for byte as the editable original, its body laid out in the Decree 30 layout as
the PDF that is signed (checked with poppler's ``pdftotext`` and ``pdftohtml``); a file whose
content is not a DOCX, or whose name says another format, or that inflates too far, is refused in
Vietnamese and nothing is created. Status messages: on the outgoing document's page and through
``POST /api/v1/documents/status/``, only by the issuing organ's clerk; bad input changes nothing.

Every DOCX here is written by hand with ``zipfile``: the few parts Word needs, nothing copied."""

import contextlib
import io
import re
import subprocess
import zipfile
from datetime import timedelta
from xml.sax.saxutils import escape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from congso.core.models import AuditRecord
from congso.documents import drafts, edxml, services
from congso.documents.models import Document, StatusEntry, Version, VersionKind
from congso.signing.tests import support

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="{main}"/></Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""


def run(text: str, *flags: str) -> str:
    props = "".join(f"<w:{flag}/>" for flag in flags)
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str, align: str = "") -> str:
    properties = f'<w:pPr><w:jc w:val="{align}"/></w:pPr>' if align else ""
    return f"<w:p>{properties}{''.join(runs)}</w:p>"


def table(*rows) -> str:
    cells = ("".join(f"<w:tc>{para(run(text))}</w:tc>" for text in row) for row in rows)
    return "<w:tbl>" + "".join(f"<w:tr>{row}</w:tr>" for row in cells) + "</w:tbl>"


BODY = (
    para(run("Căn cứ Luật Tổ chức chính quyền địa phương;"))
    + para(run("Điều 1. ", "b"), run("Kiện toàn Tổ công nghệ số cộng đồng."))
    + para(run("Giao Văn phòng theo dõi", "i"), run(", đôn đốc thực hiện."))
    + para(run("Danh sách thành viên", "b"), align="center")
    + table(["Họ và tên", "Nhiệm vụ"], ["Nguyễn Văn An", "Tổ trưởng"])
    + para(run("Quyết định có hiệu lực từ ngày ký."))
)


def docx(body: str = BODY, *, main: str = drafts.MAIN_PART, document: str | None = None) -> bytes:
    """A minimal Word file: content types, the package relationship and the main part."""
    if document is None:
        document = f'<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main))
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def upload(data: bytes, name: str = "du-thao.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, drafts.DOCX)


def pdf_text(data: bytes) -> str:
    """The PDF's text with line breaks folded, so wrapped sentences read whole."""
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def nothing_created(settings) -> bool:
    media = settings.MEDIA_ROOT / "documents"
    stored = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    return not Document.objects.exists() and not Version.objects.exists() and not stored


# ---------------------------------------------------------------- DOCX drafts


def test_docx_is_kept_and_laid_out_as_the_pdf_to_sign(draft, tree):
    data = docx()
    document = draft(upload=upload(data, "Quyết định tổ công nghệ số.docx"))
    source, pdf = document.versions.order_by("number")
    assert (source.kind, source.content_type) == (VersionKind.SOURCE, drafts.DOCX)
    assert source.read() == data and source.size == len(data)
    assert (pdf.kind, pdf.content_type, pdf.name) == (
        VersionKind.DRAFT,
        "application/pdf",
        "Quyết định tổ công nghệ số.pdf",
    )
    assert document.current_version() == pdf
    text = pdf_text(pdf.read())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/QĐ-UBND",
        "QUYẾT ĐỊNH",
        document.subject,
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        "Điều 1. Kiện toàn Tổ công nghệ số cộng đồng.",
        "Giao Văn phòng theo dõi, đôn đốc thực hiện.",
        "Nguyễn Văn An",
        "Tổ trưởng",
        "Quyết định có hiệu lực từ ngày ký.",
        "Nơi nhận:",
        tree["commune_a"].name,
        "CHỦ TỊCH",
    ):
        assert expected in text, expected
    assert "Kiện toàn Tổ công nghệ số cộng đồng" in document.body
    assert (
        services.visible_documents(document.created_by)
        .filter(search_text__contains="kien toan to cong nghe so")
        .exists()
    )
    record = AuditRecord.objects.get(action="documents.drafted")
    assert record.data["docx"] is True


def test_bold_and_italic_runs_reach_the_pdf(draft, tmp_path):
    pdf = draft(upload=upload(docx())).current_version()
    path = tmp_path / "du-thao.pdf"
    path.write_bytes(pdf.read())
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", str(path)], capture_output=True, check=True
    ).stdout.decode()
    assert "<b>Điều 1. </b>" in xml
    assert "<i>Giao Văn phòng theo dõi</i>" in xml


def test_reading_the_body():
    body = drafts.read_body(docx(), "a.docx")
    assert [type(block).__name__ for block in body] == [
        "Paragraph",
        "Paragraph",
        "Paragraph",
        "Paragraph",
        "Table",
        "Paragraph",
    ]
    assert [(r.text, r.bold, r.italic) for r in body[1].runs] == [
        ("Điều 1. ", True, False),
        ("Kiện toàn Tổ công nghệ số cộng đồng.", False, False),
    ]
    assert body[3].align == "center"
    assert [[c.paragraphs[0].text for c in row] for row in body[4].rows] == [
        ["Họ và tên", "Nhiệm vụ"],
        ["Nguyễn Văn An", "Tổ trưởng"],
    ]


def test_tracked_deletions_text_boxes_and_switched_off_bold_are_read_as_word_shows_them():
    body = para(
        '<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>Giữ </w:t></w:r>',
        "<w:del><w:r><w:delText>bỏ </w:delText></w:r></w:del>",
        "<w:ins>" + run("thêm") + "</w:ins>",
        "<w:r><w:drawing><w:txbxContent>" + para(run("hộp")) + "</w:txbxContent></w:drawing></w:r>",
    )
    (paragraph,) = drafts.read_body(docx(body), "a.docx")
    assert paragraph.text == "Giữ thêm"
    assert not paragraph.runs[0].bold


def test_docx_through_the_page(client, people, tree):
    client.force_login(people["specialist"])
    form = client.get(reverse("documents:create")).content.decode()
    assert "PDF hoặc DOCX" in form and "tệp Word .docx" in form
    response = client.post(
        reverse("documents:create"),
        {
            "unit": tree["district"].pk,
            "doc_type": "KH",
            "subject": "Kế hoạch chuyển đổi số năm 2027",
            "urgency": 0,
            "file": upload(docx()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert list(document.versions.values_list("kind", flat=True)) == ["source", "draft"]
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "Bản gốc soạn thảo (DOCX)" in page and "du-thao.docx" in page


def test_docx_through_the_api_and_downloaded_unchanged(people, tree):
    data = docx()
    client = APIClient()
    client.force_authenticate(people["specialist"])
    created = client.post(
        "/api/v1/documents/",
        {
            "direction": "outgoing",
            "unit": tree["district"].pk,
            "doc_type": "QĐ",
            "subject": "Về việc kiện toàn tổ công nghệ số",
            "file": upload(data),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    versions = created.json()["versions"]
    assert [(v["kind"], v["content_type"]) for v in versions] == [
        ("source", drafts.DOCX),
        ("draft", "application/pdf"),
    ]
    original = client.get(f"/api/v1/documents/{created.json()['id']}/files/1/")
    assert original.content == data and original["Content-Type"] == drafts.DOCX


def test_a_new_docx_version_during_review_replaces_the_text(draft, people):
    document = draft()
    services.add_version(
        document, upload(docx(para(run("Nội dung sửa lần hai.")))), actor=people["specialist"]
    )
    document.refresh_from_db()
    kinds = list(document.versions.order_by("number").values_list("kind", flat=True))
    assert kinds == ["draft", "source", "draft"]
    assert document.body == "Nội dung sửa lần hai." and document.revision == 1
    assert "Nội dung sửa lần hai." in pdf_text(document.current_version().read())


def test_a_docx_draft_is_signed_and_issued_as_its_pdf(issued):
    document = issued(upload=upload(docx()))
    kinds = list(document.versions.order_by("number").values_list("kind", flat=True))
    assert kinds == ["source", "draft", "personal_signed", "issued"]
    assert "Kiện toàn Tổ công nghệ số cộng đồng." in pdf_text(document.current_version().read())
    copy = Document.objects.get(source=document)
    assert copy.versions.get().content_type == "application/pdf"


def _bomb() -> bytes:
    """Twelve kilobytes that inflate past the limit on the main part."""
    filler = " " * (drafts.MAX_DOCUMENT_XML + 1)
    return docx(document=f'<w:document xmlns:w="{W}"><w:body>{filler}</w:body></w:document>')


def _without_main_part() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=drafts.MAIN_PART))
        archive.writestr("word/other.xml", "<x/>")
    return buffer.getvalue()


ENTITIES = f"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"""

BAD = {
    "not_a_zip": (
        b"Day khong phai tep Word",
        "du-thao.docx",
        "không đúng định dạng cho phép (PDF, DOCX)",
    ),
    "broken_zip": (b"PK\x03\x04" + b"\x00" * 200, "du-thao.docx", "không đúng định dạng"),
    "no_document_xml": (_without_main_part(), "du-thao.docx", "không đúng định dạng"),
    "macro_enabled": (
        docx(main="application/vnd.ms-word.document.macroEnabled.main+xml"),
        "du-thao.docx",
        "không phải văn bản Word",
    ),
    "entities": (docx(document=ENTITIES), "du-thao.docx", "không phải văn bản Word"),
    "not_xml": (docx(document="<w:document"), "du-thao.docx", "không phải văn bản Word"),
    "no_text": (docx(para()), "du-thao.docx", "không có đoạn văn bản nào"),
    "zip_bomb": (_bomb(), "du-thao.docx", "quá lớn khi giải nén"),
    "too_long": (
        docx(para(run("x" * (drafts.MAX_BODY_CHARS + 1)))),
        "du-thao.docx",
        "quá dài để hệ thống tự dàn trang",
    ),
    "too_many_paragraphs": (
        docx(para(run("x")) * (drafts.MAX_BODY_PARAGRAPHS + 1)),
        "du-thao.docx",
        "quá dài để hệ thống tự dàn trang",
    ),
    "docx_named_pdf": (docx(), "du-thao.pdf", "không có đuôi .docx"),
    "pdf_named_docx": (support.simple_pdf("Du thao"), "du-thao.docx", "không có đuôi .pdf"),
    "docx_without_extension": (docx(), "du-thao", "không có đuôi .docx"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_are_refused_and_nothing_is_created(case, draft, settings):
    data, name, message = BAD[case]
    with pytest.raises(ValidationError, match=re.escape(message)):
        draft(upload=upload(data, name))
    assert nothing_created(settings)


def test_the_bomb_is_small():
    assert len(_bomb()) < 64 * 1024


def test_oversized_upload_is_refused(draft, settings):
    settings.UPLOAD_MAX_BYTES = 512
    with pytest.raises(ValidationError, match="quá lớn; tối đa"):
        draft(upload=upload(docx()))
    assert nothing_created(settings)


def test_bad_docx_on_the_page_is_shown_at_the_field(client, people, tree, settings):
    client.force_login(people["specialist"])
    response = client.post(
        reverse("documents:create"),
        {
            "unit": tree["district"].pk,
            "doc_type": "QĐ",
            "subject": "Dự thảo",
            "urgency": 0,
            "file": upload(docx(), "du-thao.pdf"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in page and "không có đuôi .docx" in page
    assert nothing_created(settings)


def test_bad_docx_through_the_api(people, tree, settings):
    client = APIClient()
    client.force_authenticate(people["specialist"])
    response = client.post(
        "/api/v1/documents/",
        {
            "direction": "outgoing",
            "unit": tree["district"].pk,
            "doc_type": "QĐ",
            "subject": "Dự thảo",
            "file": upload(_bomb()),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "quá lớn khi giải nén" in response.json()["error"]["message"]
    assert nothing_created(settings)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    member=st.sampled_from(["[Content_Types].xml", "word/document.xml"]),
    content=st.binary(max_size=300),
)
def test_any_damaged_part_is_a_validation_error(member, content):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES.format(main=drafts.MAIN_PART).encode()),
            ("word/document.xml", docx_document_xml()),
        ):
            archive.writestr(name, content if name == member else text)
    with contextlib.suppress(ValidationError):  # anything else would be a server error
        drafts.read_body(buffer.getvalue(), "a.docx")


def docx_document_xml() -> bytes:
    return f'<w:document xmlns:w="{W}"><w:body>{BODY}</w:body></w:document>'.encode()


def test_deep_nesting_is_refused_not_a_crash():
    nested = "<w:sdt><w:sdtContent>" * 400 + para(run("x")) + "</w:sdtContent></w:sdt>" * 400
    with pytest.raises(ValidationError):
        drafts.read_body(docx(nested), "a.docx")


# ---------------------------------------------------------------- partners' status messages

PARTNER = edxml.Organ("000.00.15.H40", "Sở Thông tin và Truyền thông tỉnh Nghệ An")


@pytest.fixture
def sent(issued):
    """An issued document with a commune on the platform and a partner outside it."""
    return issued(external=[services.ExternalRecipient(PARTNER.name, PARTNER.agency_id)])


def status(document, *, code="04", sender=PARTNER, at=None, document_id=None) -> bytes:
    return edxml.build_status(
        edxml.StatusMessage(
            document_id=document_id or services.document_id(document),
            sender=sender,
            recipient=edxml.Organ(document.unit.agency_id, document.unit.name),
            code=code,
            at=at or timezone.now(),
            description="Đã phân công Phòng Chuyển đổi số",
            staff_name="Nguyễn Thị Sở",
        )
    )


def xml_file(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("trang-thai.xml", data, "application/xml")


def partner_codes(document) -> list[str]:
    recipient = document.recipients.get(unit__isnull=True)
    return list(recipient.statuses.values_list("code", flat=True))


def test_the_clerk_brings_a_status_in_on_the_page(client, sent, people):
    client.force_login(people["clerk"])
    url = reverse("documents:detail", args=[sent.pk])
    page = client.get(url).content.decode()
    assert "Nhập thông điệp trạng thái nhận từ trục liên thông" in page
    assert 'for="id_status-file"' in page
    response = client.post(
        reverse("documents:import_status", args=[sent.pk]), {"status-file": xml_file(status(sent))}
    )
    assert response.status_code == 302
    assert partner_codes(sent) == ["04"]
    assert sent.recipients.get(unit__isnull=True).status == "04"
    record = AuditRecord.objects.get(action="documents.status_received")
    assert record.data["code"] == "04"
    assert "Đã nhập trạng thái 04" in client.get(url).content.decode()


def test_the_form_is_only_for_the_issuing_clerk(client, sent, people):
    client.force_login(people["leader"])
    page = client.get(reverse("documents:detail", args=[sent.pk])).content.decode()
    assert "id_status-file" not in page


def _other_document_id(sent):
    return services.document_id(sent).replace("01/QĐ-UBND", "99/QĐ-UBND")


PAGE_BAD = {
    "not_xml": (lambda sent: b"%PDF-1.7 not xml", "XML"),
    "bomb": (
        lambda sent: (
            b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">&c;</edXML:edXMLEnvelope>"""
        ),
        "DOCTYPE",
    ),
    "a_package_not_a_status": (
        lambda sent: sent.recipients.get(unit__isnull=True).package.open("rb").read(),
        "không phải thông điệp trạng thái",
    ),
    "unknown_document": (
        lambda sent: status(sent, document_id=_other_document_id(sent)),
        "99/QĐ-UBND",
    ),
    "unknown_sender": (
        lambda sent: status(sent, sender=edxml.Organ("000.99.99.X99", "Cơ quan lạ")),
        "không có trong nơi nhận ngoài hệ thống",
    ),
    "platform_recipient_as_sender": (
        lambda sent: status(sent, sender=edxml.Organ("000.01.01.T01", "UBND xã A")),
        "không có trong nơi nhận ngoài hệ thống",
    ),
    "too_big": (lambda sent: b" " * (services.STATUS_MAX_BYTES + 10), "quá lớn"),
}


@pytest.mark.parametrize("case", sorted(PAGE_BAD))
def test_bad_status_files_are_refused_at_the_field(case, client, sent, people):
    make, message = PAGE_BAD[case]
    before = StatusEntry.objects.count()
    client.force_login(people["clerk"])
    response = client.post(
        reverse("documents:import_status", args=[sent.pk]), {"status-file": xml_file(make(sent))}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in page and 'href="#id_status-file"' in page
    assert message in page
    assert StatusEntry.objects.count() == before
    assert not AuditRecord.objects.filter(action="documents.status_received").exists()


def test_the_same_message_twice_is_counted_once(client, sent, people):
    client.force_login(people["clerk"])
    data = status(sent)
    url = reverse("documents:import_status", args=[sent.pk])
    client.post(url, {"status-file": xml_file(data)})
    again = client.post(url, {"status-file": xml_file(data)})
    assert "đã được nhập trước đó" in again.content.decode()
    assert partner_codes(sent) == ["04"]


def test_an_older_message_does_not_hide_a_newer_status(sent, people):
    now = timezone.now()
    services.import_status(status(sent, code="06", at=now), actor=people["clerk"])
    services.import_status(
        status(sent, code="04", at=now - timedelta(days=1)), actor=people["clerk"]
    )
    recipient = sent.recipients.get(unit__isnull=True)
    assert recipient.status == "06"
    assert sorted(partner_codes(sent)) == ["04", "06"]


def test_people_who_may_not_bring_statuses_in_are_refused_on_the_page(client, sent, people):
    url = reverse("documents:import_status", args=[sent.pk])
    client.force_login(people["specialist"])  # same organ, not a clerk
    assert client.post(url, {"status-file": xml_file(status(sent))}).status_code == 403
    client.force_login(people["clerk_b"])  # another unit: the document is not even visible
    assert client.post(url, {"status-file": xml_file(status(sent))}).status_code == 404
    assert partner_codes(sent) == []


def test_missing_file_on_the_page(client, sent, people):
    client.force_login(people["clerk"])
    response = client.post(reverse("documents:import_status", args=[sent.pk]), {})
    assert response.status_code == 200 and 'href="#id_status-file"' in response.content.decode()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_brings_a_status_in(sent, people):
    response = api(people["clerk"]).post(
        "/api/v1/documents/status/", {"file": xml_file(status(sent))}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    partner = next(r for r in response.json()["recipients"] if not r["on_platform"])
    assert partner["status"] == "04"
    assert partner["statuses"][0]["staff_name"] == "Nguyễn Thị Sở"


@pytest.mark.parametrize(
    ("who", "expected"), [("clerk_a", "không có quyền"), ("specialist_a", "không có quyền")]
)
def test_the_api_refuses_another_units_people(sent, people, who, expected):
    response = api(people[who]).post(
        "/api/v1/documents/status/", {"file": xml_file(status(sent))}, format="multipart"
    )
    assert response.status_code == 403
    assert expected in response.json()["error"]["message"]
    assert partner_codes(sent) == []


@pytest.mark.parametrize("case", sorted(PAGE_BAD))
def test_the_api_refuses_bad_input_in_vietnamese(case, sent, people):
    make, message = PAGE_BAD[case]
    response = api(people["clerk"]).post(
        "/api/v1/documents/status/", {"file": xml_file(make(sent))}, format="multipart"
    )
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert partner_codes(sent) == []


def test_the_api_without_a_file(people):
    response = api(people["clerk"]).post("/api/v1/documents/status/", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["error"]["fields"]


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/documents/status/"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"201", "400", "403"} <= set(operation["responses"])
