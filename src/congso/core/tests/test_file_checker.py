"""The one file checker refuses active content and bombs by reading headers, never by decoding
the whole file (core/uploads.py)."""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.core import uploads
from congso.signing.tests.support import simple_pdf

pytestmark = pytest.mark.slow


def build_pdf(*objects: bytes) -> bytes:
    """A PDF whose objects 1 (catalog) and 2 (pages) come first, then ``objects`` (3, 4, …)."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def refused(data: bytes, name: str, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        uploads.check_file(SimpleUploadedFile(name, data), **kwargs)
    return caught.value


def test_a_plain_pdf_passes():
    assert (
        uploads.check_file(SimpleUploadedFile("a.pdf", simple_pdf())).content_type
        == "application/pdf"
    )


@pytest.mark.parametrize(
    "catalog",
    [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /AA << /O << /S /JavaScript /J#53 (x) >> >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",
    ],
)
def test_a_pdf_with_javascript_or_embedded_files_is_refused(catalog):
    data = build_pdf(PAGE, b"<< /Names [] >>").replace(
        b"<< /Type /Catalog /Pages 2 0 R >>", catalog
    )
    error = refused(data, "to-khai.pdf")
    assert error.code == "pdf_active"
    assert "JavaScript" in error.messages[0]


def test_javascript_hidden_in_a_compressed_object_stream_is_refused():
    hidden = zlib.compress(b"5 0 << /S /JavaScript /JS (app.alert(1)) >>")
    stream = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(
        hidden
    )
    data = build_pdf(PAGE, stream + hidden + b"\nendstream")
    assert refused(data, "a.pdf").code == "pdf_active"


def _bomb(megabytes: int) -> bytes:
    packer = zlib.compressobj(9)
    zeros = bytes(1024 * 1024)
    packed = b"".join(packer.compress(zeros) for _ in range(megabytes)) + packer.flush()
    return packed


def test_a_decompression_bomb_is_refused_quickly(settings):
    packed = _bomb(500)
    assert len(packed) < 600 * 1024  # 500 MB in half a megabyte
    stream = b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
    data = build_pdf(PAGE, stream + packed + b"\nendstream")
    tracemalloc.start()
    started = time.perf_counter()
    error = refused(data, "bom.pdf")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert error.code == "pdf_too_big"
    assert elapsed < 5
    assert peak < 30 * 1024 * 1024


def test_too_many_pages_are_refused(settings):
    settings.UPLOAD_MAX_PAGES = 3
    assert refused(simple_pdf(pages=4), "a.pdf").code == "pdf_pages"
    uploads.check_file(SimpleUploadedFile("a.pdf", simple_pdf(pages=3)))


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def test_a_huge_png_is_refused_from_its_header():
    data = _png_header(12000, 12000)  # 1 GB of pixels once decoded
    tracemalloc.start()
    started = time.perf_counter()
    error = refused(data, "cccd.png")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert error.code == "image_too_big"
    assert "50 triệu điểm ảnh" in error.messages[0]
    assert elapsed < 1
    assert peak < 5 * 1024 * 1024


def test_a_normal_photo_passes():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2480, 3508), "white").save(out, format="JPEG")
    assert (
        uploads.check_file(SimpleUploadedFile("a.jpg", out.getvalue())).content_type == "image/jpeg"
    )


def _docx(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<?xml version='1.0'?><Types/>")
        for path, content in parts.items():
            archive.writestr(path, content)
    return out.getvalue()


def test_a_zip_bomb_docx_is_refused():
    data = _docx({"word/document.xml": b"<w/>", "word/media/bom.bin": bytes(200 * 1024 * 1024)})
    assert len(data) < 1024 * 1024
    error = refused(data, "du-thao.docx", allowed=(uploads.DOCX,))
    assert error.code == "archive_too_big"


def test_the_expansion_ratio_is_capped():
    data = _docx({"word/document.xml": b"<w/>" + b" " * 20 * 1024 * 1024})
    assert refused(data, "a.docx", allowed=(uploads.DOCX,)).code == "archive_too_big"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(document.cookie)</script></html>",
        b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    ],
)
def test_html_and_svg_are_never_accepted(data):
    assert refused(data, "scan.pdf").code == "bad_type"
