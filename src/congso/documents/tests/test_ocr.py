"""Text extraction with the real tools: pdftotext for born-digital PDFs, Tesseract for scans."""

import subprocess

import pytest
from django.core.exceptions import ValidationError

from congso.core.text import fold
from congso.documents.ocr import extract_text

pytestmark = pytest.mark.slow

WORDS = ["Quyết định", "phê duyệt", "chuyển đổi số", "Nghi Lộc"]


@pytest.fixture(scope="module")
def vietnamese_pdf() -> bytes:
    from weasyprint import HTML

    html = """<html><body style="font-family: 'Liberation Serif'; font-size: 16pt">
    <h1>ỦY BAN NHÂN DÂN HUYỆN NGHI LỘC</h1>
    <p>Quyết định về việc phê duyệt kế hoạch chuyển đổi số năm 2026 của huyện Nghi Lộc.</p>
    </body></html>"""
    return HTML(string=html).write_pdf()


@pytest.fixture(scope="module")
def page_png(vietnamese_pdf, tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("raster")
    (folder / "in.pdf").write_bytes(vietnamese_pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", str(folder / "in.pdf"), str(folder / "p")],
        check=True,
        timeout=120,
    )
    return (folder / "p.png").read_bytes()


def _found(text: str) -> list[str]:
    return [word for word in WORDS if fold(word) in fold(text)]


def test_text_layer_of_a_pdf_is_read(vietnamese_pdf):
    text = extract_text(vietnamese_pdf, "application/pdf")
    assert "Quyết định về việc phê duyệt" in text
    assert _found(text) == WORDS


def test_an_image_is_read_by_tesseract(page_png):
    assert _found(extract_text(page_png, "image/png")) == WORDS


def test_a_scanned_only_pdf_goes_through_ocr(page_png):
    import base64

    from weasyprint import HTML

    src = "data:image/png;base64," + base64.b64encode(page_png).decode()
    scanned = HTML(
        string=f'<html><body style="margin:0"><img src="{src}" style="width:100%"></body></html>'
    ).write_pdf()
    probe = subprocess.run(["pdftotext", "-", "-"], input=scanned, capture_output=True, check=True)
    assert probe.stdout.strip() == b""  # no text layer: only OCR can find the words
    assert _found(extract_text(scanned, "application/pdf")) == WORDS


@pytest.mark.parametrize(
    "data,content_type",
    [
        (b"%PDF-1.7 broken beyond repair", "application/pdf"),
        (b"\x89PNG\r\n\x1a\nnot really", "image/png"),
        (b"", "image/jpeg"),
    ],
)
def test_broken_files_give_a_vietnamese_message(data, content_type):
    with pytest.raises(ValidationError) as caught:
        extract_text(data, content_type)
    assert "Không đọc được tệp" in caught.value.messages[0]


def test_other_types_are_refused():
    with pytest.raises(ValidationError, match="Không hỗ trợ"):
        extract_text(b"hello", "text/plain")
