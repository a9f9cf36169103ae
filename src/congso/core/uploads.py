"""The one file checker: every file the platform stores (an upload, an import, an edXML attachment,
a DOCX draft, a generated PDF) passes ``check_content`` first.

A file is recognised by what it contains, never by its name or the type its sender declared, and
each call site names the types it accepts. HTML, SVG and anything else a browser would run is
never accepted. Files are also bounded before anything parses or decodes them in full:

- PDF: no JavaScript, automatic actions or embedded files; the compressed streams are inflated in
  small chunks against a total budget (a "decompression bomb" stops there); the page count is
  capped. An encrypted or broken PDF is refused (regulations §7).
- JPEG, PNG: the pixel count is read from the header, nothing is decoded.
- DOCX, XLSX (ZIP archives): the number of parts, their total size once unpacked and the ratio to
  the archive's size are capped; ``zipfile`` never inflates a part beyond the size the archive
  declares, so the declared sizes are binding.
- XML: only recognised here; call sites parse it with the safe parser (``documents.edxml``).
"""

import hashlib
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XML = "application/xml"
#: What citizens and clerks scan: the default of every upload.
SCANS = (PDF, JPEG, PNG)
#: The types a browser may show in place (never HTML, SVG or XML).
INLINE = frozenset(SCANS)

_LABELS = {PDF: "PDF", JPEG: "JPG", PNG: "PNG", DOCX: "DOCX", XLSX: "XLSX", XML: "XML"}
_EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", XLSX: "xlsx", XML: "xml"}
_SIGNATURES = [(b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG)]
_ZIP_MAGIC = b"PK\x03\x04"
_ZIP_MAX_PARTS = 2000
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError)

#: PDF names that run something or carry another file: JavaScript (also as the target of an
#: /OpenAction), automatic actions, launching programs, embedded and attached files.
_PDF_ACTIVE = frozenset(
    {"JS", "JavaScript", "AA", "Launch", "EmbeddedFiles", "FileAttachment", "RichMedia"}
)
#: Filters whose output is bounded by the image they carry (nothing to inflate here).
_PDF_IMAGE_FILTERS = frozenset({"DCTDecode", "JPXDecode", "CCITTFaxDecode", "JBIG2Decode"})
_PDF_FILTERS = _PDF_IMAGE_FILTERS | {
    "FlateDecode",
    "LZWDecode",
    "RunLengthDecode",
    "ASCIIHexDecode",
    "ASCII85Decode",
    "Crypt",
}
_PDF_NAME = re.compile(rb"/((?:[^\s/<>\[\]()%{}#]|#[0-9A-Fa-f]{2})+)")
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_INFLATE_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    name: str
    data: bytes
    content_type: str
    extension: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def sniff(data: bytes) -> tuple[str, str] | None:
    """``(content type, extension)`` recognised from the bytes, or ``None``."""
    return sniff_file(io.BytesIO(data))


def sniff_file(handle) -> tuple[str, str] | None:
    """``sniff`` of a seekable binary file, reading its head (and an archive's directory), not
    the whole of it: a stored export of a year is served without being held in memory. The file
    is left at its start."""
    head = handle.read(1024)
    handle.seek(0)
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic) or (content_type == PDF and magic in head):
            return content_type, _EXTENSIONS[content_type]
    if head.startswith(_ZIP_MAGIC):
        content_type = _office_type(handle)
        handle.seek(0)
        return (content_type, _EXTENSIONS[content_type]) if content_type else None
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<?xml"):
        return XML, "xml"
    return None


def _office_type(handle) -> str | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except _ZIP_ERRORS:
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _refuse(message: str, name: str, code: str, **values) -> ValidationError:
    return ValidationError(message % {"name": name, **values}, code=code)


def _too_big(name: str) -> ValidationError:
    limit = settings.UPLOAD_MAX_BYTES
    return _refuse(
        _("Tệp “%(name)s” quá lớn; tối đa %(limit)s MB."),
        name,
        "too_big",
        limit=limit // (1024 * 1024),
    )


def check_file(upload, *, allowed=SCANS) -> CheckedFile:
    """Read an uploaded file (no more than ``UPLOAD_MAX_BYTES``) and return it checked, or raise
    ``ValidationError`` in Vietnamese."""
    name = getattr(upload, "name", "tệp") or "tệp"
    limit = settings.UPLOAD_MAX_BYTES
    if getattr(upload, "size", 0) and upload.size > limit:
        raise _too_big(name)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(name)
    return check_content(data, name, allowed=allowed)


def check_content(data: bytes, name: str, *, allowed=SCANS) -> CheckedFile:
    """``data`` checked as one of the ``allowed`` types (recognised from its content)."""
    if not data:
        raise _refuse(_("Tệp “%(name)s” rỗng."), name, "empty")
    kind = sniff(data)
    if kind is None or kind[0] not in allowed:
        raise _refuse(
            _(
                "Tệp “%(name)s” không đúng định dạng cho phép (%(kinds)s); hệ thống kiểm tra "
                "nội dung tệp, không dựa vào tên tệp."
            ),
            name,
            "bad_type",
            kinds=", ".join(_LABELS[t] for t in allowed),
        )
    content_type, extension = kind
    if content_type == PDF:
        _check_pdf(data, name)
    elif content_type in (JPEG, PNG):
        _check_image(data, name)
    elif content_type in (DOCX, XLSX):
        check_archive(data, name)
    return CheckedFile(name, data, content_type, extension, hashlib.sha256(data).hexdigest())


def inert(data: bytes, name: str, *, allowed=SCANS) -> ContentFile:
    """``data`` checked and ready for ``FileField.save``: the way every file is stored."""
    return ContentFile(check_content(data, name, allowed=allowed).data, name=name)


def check_files(uploads) -> list[CheckedFile]:
    uploads = [u for u in uploads if u]
    if len(uploads) > settings.UPLOAD_MAX_FILES:
        raise ValidationError(
            _("Chỉ được gửi tối đa %(n)s tệp mỗi lần.") % {"n": settings.UPLOAD_MAX_FILES},
            code="too_many",
        )
    return [check_file(u) for u in uploads]


# ---------------------------------------------------------------- PDF


def _pdf_broken(name: str) -> ValidationError:
    return _refuse(_("Tệp “%(name)s” không phải PDF hợp lệ hoặc đã bị hỏng."), name, "pdf_broken")


def _pdf_unpacked_too_big(name: str) -> ValidationError:
    return _refuse(
        _(
            "Tệp “%(name)s” có nội dung nén quá lớn khi giải nén (tối đa %(limit)s MB); hãy in "
            "lại tệp ra PDF thông thường."
        ),
        name,
        "pdf_too_big",
        limit=settings.UPLOAD_MAX_UNPACKED_BYTES // (1024 * 1024),
    )


def _names(data: bytes) -> set[str]:
    """The PDF names in ``data`` with their ``#xx`` escapes undone (``/J#53`` is ``/JS``)."""
    return {
        _PDF_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), raw).decode("latin-1")
        for raw in _PDF_NAME.findall(data)
    }


def _inflate(raw: bytes, budget: int, keep: bool, name: str) -> tuple[int, bytes]:
    """Inflate ``raw`` a megabyte at a time; refused as soon as the output passes ``budget``."""
    inflater = zlib.decompressobj()
    kept = bytearray()
    total = 0
    pending = raw
    try:
        while pending:
            out = inflater.decompress(pending, _INFLATE_CHUNK)
            total += len(out)
            if total > budget:
                raise _pdf_unpacked_too_big(name)
            if keep:
                kept += out
            pending = inflater.unconsumed_tail
        total += len(inflater.flush())
    except zlib.error as exc:
        raise _pdf_broken(name) from exc
    if total > budget:
        raise _pdf_unpacked_too_big(name)
    return total, bytes(kept)


def _pdf_streams(data: bytes, name: str):
    """Each stream's names and inflated object-stream text, within the total budget."""
    budget = settings.UPLOAD_MAX_UNPACKED_BYTES
    for match in _PDF_STREAM.finditer(data):
        start = match.end()
        opening = data.rfind(b"obj", max(0, match.start() - 4096), match.start())
        dictionary = _names(data[max(opening, match.start() - 4096) : match.start()])
        filters = dictionary & _PDF_FILTERS
        if not filters or filters <= _PDF_IMAGE_FILTERS:
            continue
        if filters - _PDF_IMAGE_FILTERS != {"FlateDecode"}:
            raise _refuse(
                _(
                    "Tệp “%(name)s” dùng cách nén PDF mà hệ thống không kiểm tra được; hãy in "
                    "lại tệp ra PDF thông thường."
                ),
                name,
                "pdf_filter",
            )
        end = data.find(b"endstream", start)
        raw = data[start : end if end >= 0 else len(data)]
        used, text = _inflate(raw, budget, "ObjStm" in dictionary, name)
        budget -= used
        yield text


def _check_pdf(data: bytes, name: str) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    names = _names(data)
    for text in _pdf_streams(data, name):
        names |= _names(text)
    if names & _PDF_ACTIVE:
        raise _refuse(
            _(
                "Tệp “%(name)s” là PDF có chứa mã lệnh (JavaScript), hành động tự động hoặc tệp "
                "đính kèm bên trong; hãy in lại tệp ra PDF thông thường rồi nộp lại."
            ),
            name,
            "pdf_active",
        )
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise _refuse(
                _("Tệp “%(name)s” là PDF có mật khẩu; hãy nộp bản không khoá."),
                name,
                "pdf_encrypted",
            )
        pages = int(reader.root["/Pages"]["/Count"])
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means a broken file
        raise _pdf_broken(name) from exc
    if pages < 1:
        raise _pdf_broken(name)
    if pages > settings.UPLOAD_MAX_PAGES:
        raise _refuse(
            _("Tệp “%(name)s” có quá nhiều trang; tối đa %(limit)s trang."),
            name,
            "pdf_pages",
            limit=settings.UPLOAD_MAX_PAGES,
        )


# ---------------------------------------------------------------- images and archives


def _check_image(data: bytes, name: str) -> None:
    """The dimensions from the header (Pillow's ``open`` decodes no pixel)."""
    from PIL import Image

    limit = settings.UPLOAD_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except Image.DecompressionBombError:  # Pillow's own cap, from the header too
        width = height = limit
    except Exception as exc:  # noqa: BLE001 - any parser failure means a broken file
        raise _refuse(
            _("Tệp ảnh “%(name)s” bị hỏng hoặc không đọc được."), name, "image_broken"
        ) from exc
    if width * height > limit:
        raise _refuse(
            _(
                "Ảnh “%(name)s” quá lớn (tối đa %(limit)s triệu điểm ảnh); hãy quét lại ở độ "
                "phân giải 300 dpi."
            ),
            name,
            "image_too_big",
            limit=limit // 1_000_000,
        )


def check_archive(data: bytes, name: str) -> None:
    """A ZIP-based office file whose parts stay small once unpacked (a "zip bomb" is refused
    from the sizes its directory declares; nothing is inflated here). The expansion ratio counts
    once the parts weigh more than an upload may: a short repetitive text packs very tightly."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except _ZIP_ERRORS as exc:
        raise _refuse(
            _("Tệp “%(name)s” bị hỏng hoặc không đọc được."), name, "archive_broken"
        ) from exc
    unpacked = sum(part.file_size for part in parts)
    if (
        len(parts) > _ZIP_MAX_PARTS
        or unpacked > settings.UPLOAD_MAX_UNPACKED_BYTES
        or unpacked > max(len(data) * settings.UPLOAD_MAX_EXPANSION, settings.UPLOAD_MAX_BYTES)
    ):
        raise _refuse(
            _(
                "Tệp “%(name)s” quá lớn khi giải nén (tối đa %(limit)s MB); hãy lưu lại tệp "
                "hoặc chia nhỏ nội dung."
            ),
            name,
            "archive_too_big",
            limit=settings.UPLOAD_MAX_UNPACKED_BYTES // (1024 * 1024),
        )
