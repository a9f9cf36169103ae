"""Copies of an issued document (Decree 30, art. 25–27): SAO Y, SAO LỤC, TRÍCH SAO are new files
— the original's pages then the copy block with the organ's own copy number — signed by the
organ's seal; the signed original is never touched; only who issues for the organ may copy."""

import hashlib
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congso.accounts.tests.support import log_in
from congso.signing.tests import support
from congso.signing.verification import verify_bytes

from .. import copies
from ..models import DocumentCopy, VersionKind

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _text(data: bytes, *args: str) -> str:
    done = subprocess.run(
        ["pdftotext", *args, "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


def _request(kind="SY", **extra):
    fields = {
        "signer_name": "Trần Thị Thư",
        "signer_title": "Chánh Văn phòng",
        "recipients": ["Sở Nội vụ tỉnh Nghệ An", "UBND xã A"],
        **extra,
    }
    return copies.CopyRequest(kind=kind, **fields)


def _read(made: DocumentCopy) -> bytes:
    with made.signed_file.file.open("rb") as handle:
        return handle.read()


def test_a_copy_is_a_new_file_with_the_copy_block_and_the_seal(issued, people, keys, tmp_path):
    document = issued()
    original = document.versions.get(kind=VersionKind.ISSUED)
    before = hashlib.sha256(original.read()).hexdigest()
    made = copies.make_copy(document, people["clerk"], _request())
    data = _read(made)
    block = _text(data, "-f", "2", "-l", "2")
    for expected in (
        "SAO Y",
        "Số: 01/SY-UBND",
        "CHÁNH VĂN PHÒNG",
        "Trần Thị Thư",
        "Nơi nhận:",
        "Sở Nội vụ tỉnh Nghệ An",
    ):
        assert expected in block, block
    assert document.unit.name.upper() in block
    copied_page = _text(data, "-f", "1", "-l", "1")
    assert "Quyet dinh thu" in copied_page and "Nguyễn Văn Lãnh" in copied_page, copied_page
    assert hashlib.sha256(original.read()).hexdigest() == before == original.sha256
    [report] = verify_bytes(data)
    assert report.ok and report.covers_whole_document and report.signer == document.unit.name
    path = tmp_path / "sao-y.pdf"
    path.write_bytes(data)
    checked = support.pdfsig(path, nssdir=support.nss_database(tmp_path / "nss", keys["root_pem"]))
    assert checked.signature_valid and checked.certificate_trusted, checked.output
    assert checked.output.count("Signature #") == 1


def test_the_three_kinds_share_one_register_and_an_extract_keeps_its_pages(issued, people):
    document = issued()
    first = copies.make_copy(document, people["clerk"], _request("SL"))
    extract = copies.make_copy(document, people["clerk"], _request("TS", pages="1"))
    assert (first.notation, extract.notation) == ("01/SL-UBND", "02/TS-UBND")
    assert "SAO LỤC" in _text(_read(first)) and "TRÍCH SAO" in _text(_read(extract))
    assert _text(_read(extract), "-f", "2", "-l", "2").startswith("UBND")
    assert extract.pages == "1"


@pytest.mark.parametrize(
    ("request_fields", "field", "message"),
    [
        ({"kind": "XX"}, "kind", "Hãy chọn hình thức sao"),
        ({"kind": "TS", "pages": "5"}, "pages", "nằm ngoài"),
        ({"kind": "TS", "pages": "a-b"}, "pages", "không hợp lệ"),
        ({"kind": "SY", "signer_name": " "}, "signer_name", "Cần họ tên"),
    ],
)
def test_a_bad_request_numbers_nothing(issued, people, request_fields, field, message):
    document = issued()
    kind = request_fields.pop("kind")
    with pytest.raises(ValidationError) as refused:
        copies.make_copy(document, people["clerk"], _request(kind, **request_fields))
    assert message in " ".join(refused.value.message_dict[field])
    assert not DocumentCopy.objects.exists()
    assert copies.make_copy(document, people["clerk"], _request()).number == 1


def test_only_an_issued_document_and_only_its_issuer_may_copy(issued, draft, people):
    with pytest.raises(ValidationError, match="đã phát hành"):
        copies.make_copy(draft(), people["clerk"], _request())
    with pytest.raises(PermissionDenied):
        copies.make_copy(issued(), people["specialist"], _request())
    assert not DocumentCopy.objects.exists()


def test_the_clerks_page(client, issued, people):
    document = issued()
    url = reverse("documents:copies", args=[document.pk])
    log_in(client, people["specialist"])
    assert client.post(url, {"kind": "SY"}).status_code == 403
    log_in(client, people["clerk"])
    page = client.get(url)
    assert page.status_code == 200 and "Làm bản sao" in page.content.decode()
    form = {"kind": "SY", "signer_title": "Chánh Văn phòng", "signer_name": "Trần Thị Thư"}
    bad = client.post(url, {**form, "kind": "TS", "pages": "9"})
    assert bad.status_code == 400 and "nằm ngoài" in bad.content.decode()
    assert client.post(url, form).status_code == 302
    made = DocumentCopy.objects.get()
    download = client.get(reverse("documents:copy_file", args=[document.pk, made.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download["X-Content-SHA256"] == made.signed_file.sha256
