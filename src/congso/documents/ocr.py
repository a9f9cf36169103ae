"""Text of a scanned or born-digital document, so that incoming documents can be searched.

A PDF made by a word processor has a text layer: poppler's ``pdftotext`` reads it in milliseconds.
A scanned letter has none, so its pages are rasterised at 300 dpi (``pdftoppm``) and read by
Tesseract with the Vietnamese model (Debian's ``tesseract-ocr-vie``). Photos (JPEG/PNG) go to
Tesseract directly. Every tool runs as a subprocess with a timeout in a temporary directory that
is removed afterwards; Tesseract is held to one thread because the servers are small.
"""

import os
import subprocess
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PAGES = 50
DPI = 300
LANGUAGE = "vie"
# A text layer shorter than this (page numbers, a stamp) means the PDF is a scan.
MIN_TEXT_LAYER = 20
PDFTOTEXT_TIMEOUT = 60
RASTER_TIMEOUT = 300
TESSERACT_TIMEOUT = 120

_IMAGE_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png"}


def _broken(content_type: str) -> ValidationError:
    return ValidationError(
        _("Không đọc được tệp (%(type)s): tệp bị hỏng hoặc không đúng định dạng.")
        % {"type": content_type},
        code="ocr_broken",
    )


def _run(args: list[str], timeout: int, content_type: str) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ValidationError(
            _("Tệp quá lớn hoặc quá phức tạp để nhận dạng chữ trong thời gian cho phép."),
            code="ocr_timeout",
        ) from exc
    if done.returncode != 0:
        raise _broken(content_type)
    return done.stdout.decode("utf-8", errors="replace")


def _tesseract(image: Path, content_type: str) -> str:
    return _run(["tesseract", str(image), "-", "-l", LANGUAGE], TESSERACT_TIMEOUT, content_type)


def _pdf_text(data: bytes, folder: Path) -> str:
    source = folder / "source.pdf"
    source.write_bytes(data)
    layer = _run(
        ["pdftotext", "-enc", "UTF-8", "-l", str(MAX_PAGES), str(source), "-"],
        PDFTOTEXT_TIMEOUT,
        "application/pdf",
    )
    if len(layer.strip()) >= MIN_TEXT_LAYER:
        return layer
    _run(
        [
            "pdftoppm",
            "-r",
            str(DPI),
            "-l",
            str(MAX_PAGES),
            "-gray",
            "-png",
            str(source),
            str(folder / "page"),
        ],
        RASTER_TIMEOUT,
        "application/pdf",
    )
    pages = sorted(folder.glob("page*.png"))
    scanned = "\f".join(_tesseract(page, "application/pdf") for page in pages)
    return scanned if scanned.strip() else layer


def extract_text(data: bytes, content_type: str) -> str:
    """The readable text of a PDF, JPEG or PNG file; ``""`` when there is none."""
    if content_type != "application/pdf" and content_type not in _IMAGE_SUFFIXES:
        raise ValidationError(
            _("Không hỗ trợ nhận dạng chữ cho loại tệp %(type)s.") % {"type": content_type},
            code="ocr_type",
        )
    if not data:
        raise _broken(content_type)
    with tempfile.TemporaryDirectory(prefix="congso-ocr-") as tmp:
        folder = Path(tmp)
        if content_type == "application/pdf":
            text = _pdf_text(data, folder)
        else:
            image = folder / f"source{_IMAGE_SUFFIXES[content_type]}"
            image.write_bytes(data)
            text = _tesseract(image, content_type)
    return text.strip()
