"""A stored file leaves as a stream read from storage a block at a time (``downloads.stored``):
the bytes served are the file's, its type is recognised from its head (and an archive's
directory) without reading it whole, the headers are those of every download, and a file gone
from storage is a 404."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile, FileField
from django.http import FileResponse, Http404

from congso.core.downloads import stored
from congso.core.uploads import DOCX, PDF, sniff, sniff_file


def _field(tmp_path, name: str, data: bytes) -> FieldFile:
    storage = FileSystemStorage(location=tmp_path)
    saved = storage.save(name, ContentFile(data))
    field = FileField(storage=storage)
    field.name = "file"
    return FieldFile(None, field, saved)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/padding.bin", bytes(range(256)) * 4096)  # 1 MiB
    return buffer.getvalue()


def test_a_large_pdf_streams_in_blocks_with_the_same_bytes(tmp_path):
    data = b"%PDF-1.7\n" + b"0123456789abcdef" * 200_000  # 3.2 MB
    response = stored(_field(tmp_path, "sổ.pdf", data), "so-van-ban.pdf", inline=True)
    assert isinstance(response, FileResponse) and response.streaming
    blocks = list(response.streaming_content)
    assert len(blocks) > 1 and b"".join(blocks) == data
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"] == 'inline; filename="so-van-ban.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Length"] == str(len(data))


def test_an_office_file_is_known_from_its_directory_and_saved(tmp_path):
    data = _docx()
    response = stored(_field(tmp_path, "to-trinh.docx", data), "to-trinh.docx", inline=True)
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.getvalue() == data


def test_what_claims_to_be_html_is_served_as_bytes_to_save(tmp_path):
    response = stored(_field(tmp_path, "x.pdf", b"<script>alert(1)</script>"), "x.pdf", inline=True)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_file_gone_from_storage_is_not_found(tmp_path):
    field = _field(tmp_path, "gone.pdf", b"%PDF-1.7")
    (tmp_path / field.name).unlink()
    with pytest.raises(Http404):
        stored(field, "gone.pdf")


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4 x", _docx(), b"\xef\xbb\xbf <?xml version='1.0'?><a/>", b"text"]
)
def test_sniffing_a_file_agrees_with_sniffing_its_bytes_and_leaves_it_at_the_start(data):
    handle = io.BytesIO(data)
    assert sniff_file(handle) == sniff(data)
    assert handle.tell() == 0
