"""What a drafter may upload: a PDF, signed as it is, or a Word file (DOCX), kept byte for byte as
the editable original while its body is laid out in the Decree 30 format (``compose.py``) as the
PDF to be signed.

Both are recognised by their content, never by their name, and the name must then agree with the
content: a DOCX called ``.pdf`` (or a PDF called ``.docx``) is refused, so nobody downloads a file
that their software cannot open.

A DOCX is a ZIP archive; it is accepted when ``[Content_Types].xml`` declares ``word/document.xml``
as the main part of a Word document (a macro-enabled ``.docm``, an old ``.doc`` or a
password-protected file is refused). The archive is never extracted: only those two parts are
read, each with a limit on its *uncompressed* size that does not trust the size the archive
claims, so a zip bomb stops at the limit. The XML is read like edXML: no DTD, no entities, no
network.

Only the body is read: paragraphs with their alignment, bold, italic and underlined runs (direct
formatting; styles are not resolved), line breaks and tables (a merged cell spans its columns; a
nested table's paragraphs join its cell). Pictures, text boxes, footnotes, headers and footers are
left out: the header, the signer block and "Nơi nhận" come from the document's fields.
"""

import io
import lzma
import zipfile
import zlib
from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from congso.core.uploads import DOCX, PDF, CheckedFile, check_file

from .edxml import SAFE_PARSER_OPTIONS

MAIN_PART = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx"}

#: Uncompressed size allowed for ``word/document.xml`` (Word writes several times more XML than
#: text: a 100-page document is one or two megabytes).
MAX_DOCUMENT_XML = 8 * 1024 * 1024
MAX_CONTENT_TYPES_XML = 256 * 1024
#: What is laid out while the drafter waits (a page of 14-point text holds about 3,400
#: characters): about 90 pages, a few seconds of WeasyPrint. Longer texts are sent as PDF.
MAX_BODY_CHARS = 300_000
MAX_BODY_PARAGRAPHS = 5_000

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OFF = {"0", "false", "off", "none"}
#: Word allows 63 columns; a larger span is a forged file, not a table.
_MAX_SPAN = 63
#: What a broken, encrypted or exotic archive raises while it is opened or read.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    EOFError,
    OSError,
)
#: Word's alignments that change the layout; the rest is justified, as the body of Decree 30 is.
_ALIGN = {"center": "center", "right": "right", "end": "right"}


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


#: Inside a paragraph: deleted or moved-away text, pictures and text boxes (whose text Word
#: writes twice, as a drawing and as its fallback).
_SKIPPED = {
    _w("del"),
    _w("moveFrom"),
    _w("drawing"),
    _w("pict"),
    _w("object"),
    f"{{{_MC}}}AlternateContent",
}


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False

    @property
    def style(self) -> str:
        """CSS classes of the composed PDF (``b``, ``i``, ``u``)."""
        flags = (("b", self.bold), ("i", self.italic), ("u", self.underline))
        return " ".join(name for name, on in flags if on)


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    align: str = ""
    is_table: ClassVar[bool] = False

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Cell:
    paragraphs: tuple[Paragraph, ...]
    span: int = 1


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    is_table: ClassVar[bool] = True


@dataclass(frozen=True)
class Upload:
    """A checked draft file; ``body`` is the DOCX's content, ``None`` for a PDF."""

    file: CheckedFile
    body: tuple[Paragraph | Table, ...] | None = None

    @property
    def pdf_name(self) -> str:
        """The name of the PDF laid out from a DOCX: the same name with ``.pdf``."""
        return self.file.name[: -len(EXTENSIONS[DOCX])] + EXTENSIONS[PDF]


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """A body typed in the form: one paragraph per non-empty line."""
    return tuple(Paragraph((Run(line),)) for line in text.splitlines() if line.strip())


def plain_text(body) -> str:
    """The body as text (search, the copies sent): a line per paragraph, cells split by ``|``."""
    lines = []
    for block in body:
        if block.is_table:
            lines.extend(
                " | ".join(" ".join(p.text for p in cell.paragraphs) for cell in row)
                for row in block.rows
            )
        else:
            lines.append(block.text)
    return "\n".join(lines)


# ---------------------------------------------------------------- checking


def check(upload) -> Upload:
    """The drafter's file checked, or ``ValidationError`` in Vietnamese; nothing is stored."""
    checked = check_file(upload, allowed=(PDF, DOCX))
    _require_extension(checked)
    if checked.content_type == PDF:
        return Upload(checked)
    return Upload(checked, read_body(checked.data, checked.name))


def _require_extension(checked: CheckedFile) -> None:
    extension = EXTENSIONS[checked.content_type]
    if not checked.name.lower().endswith(extension):
        raise ValidationError(
            _(
                "Tệp “%(name)s” có nội dung là %(kind)s nhưng tên tệp không có đuôi "
                "%(extension)s; hãy kiểm tra lại tệp và đặt tên cho đúng."
            )
            % {"name": checked.name, "kind": checked.extension.upper(), "extension": extension},
            code="wrong_extension",
        )


def _not_docx(name: str) -> ValidationError:
    return ValidationError(
        _(
            "Tệp “%(name)s” không phải văn bản Word (.docx) hợp lệ; hãy lưu lại bằng Word hoặc "
            "LibreOffice dưới dạng .docx (không đặt mật khẩu, không chứa macro)."
        )
        % {"name": name},
        code="docx_broken",
    )


def _unpacked_too_big(name: str) -> ValidationError:
    return ValidationError(
        _(
            "Tệp “%(name)s” có phần nội dung quá lớn khi giải nén; hệ thống nhận văn bản Word "
            "có phần nội dung tới %(limit)s MB."
        )
        % {"name": name, "limit": MAX_DOCUMENT_XML // (1024 * 1024)},
        code="docx_too_big",
    )


def _part(archive: zipfile.ZipFile, path: str, limit: int, name: str) -> bytes:
    """One part of the archive, inflated no further than ``limit`` bytes whatever the archive
    says its size is."""
    try:
        info = archive.getinfo(path)
    except KeyError as exc:
        raise _not_docx(name) from exc
    if info.file_size > limit:
        raise _unpacked_too_big(name)
    try:
        with archive.open(info) as handle:
            content = handle.read(limit + 1)
    except _ZIP_ERRORS as exc:
        raise _not_docx(name) from exc
    if len(content) > limit:
        raise _unpacked_too_big(name)
    return content


def _xml(content: bytes, name: str):
    try:
        root = etree.fromstring(content, etree.XMLParser(**SAFE_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise _not_docx(name) from exc
    if root.getroottree().docinfo.doctype:
        raise _not_docx(name)
    return root


def _main_part_type(archive: zipfile.ZipFile, name: str) -> str:
    root = _xml(_part(archive, "[Content_Types].xml", MAX_CONTENT_TYPES_XML, name), name)
    for override in root.iter(f"{{{_CT}}}Override"):
        if (override.get("PartName") or "").lower() == "/word/document.xml":
            return override.get("ContentType") or ""
    for default in root.iter(f"{{{_CT}}}Default"):
        if (default.get("Extension") or "").lower() == "xml":
            return default.get("ContentType") or ""
    return ""


def read_body(data: bytes, name: str) -> tuple[Paragraph | Table, ...]:
    """The body of a DOCX, checked on the way (see the module's docstring)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise _not_docx(name) from exc
    with archive:
        if _main_part_type(archive, name) != MAIN_PART:
            raise _not_docx(name)
        root = _xml(_part(archive, "word/document.xml", MAX_DOCUMENT_XML, name), name)
    body = root.find(_w("body"))
    if root.tag != _w("document") or body is None:
        raise _not_docx(name)
    blocks = tuple(_blocks(body))
    _require_layable(blocks, name)
    return blocks


def _require_layable(blocks, name: str) -> None:
    """Refuse a body with nothing to lay out, or too long to lay out while the drafter waits."""
    if not blocks:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không có đoạn văn bản nào để dàn trang (hình ảnh, hộp văn bản, "
                "đầu trang và chân trang không được đọc)."
            )
            % {"name": name},
            code="docx_empty",
        )
    cells = [cell for block in blocks if block.is_table for row in block.rows for cell in row]
    texts = [block for block in blocks if not block.is_table]
    texts += [paragraph for cell in cells for paragraph in cell.paragraphs]
    if (
        sum(len(paragraph.text) for paragraph in texts) > MAX_BODY_CHARS
        or len(texts) + len(cells) > MAX_BODY_PARAGRAPHS
    ):
        raise ValidationError(
            _(
                "Nội dung tệp “%(name)s” quá dài để hệ thống tự dàn trang (tối đa khoảng "
                "%(pages)s trang); hãy chuyển văn bản sang PDF và tải lên tệp PDF."
            )
            % {"name": name, "pages": MAX_BODY_CHARS // 3400},
            code="docx_too_long",
        )


# ---------------------------------------------------------------- reading WordprocessingML


def _on(element) -> bool:
    """A toggle property (``<w:b/>``, ``<w:i w:val="0"/>``, ``<w:u w:val="none"/>``)."""
    return element is not None and (element.get(_w("val")) or "true").lower() not in _OFF


def _blocks(container):
    """Paragraphs and tables in reading order; content controls are looked into."""
    for child in container:
        if child.tag == _w("p"):
            paragraph = _paragraph(child)
            if paragraph.text.strip():
                yield paragraph
        elif child.tag == _w("tbl"):
            yield _table(child)
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            yield from _blocks(content if content is not None else ())


def _paragraph(node) -> Paragraph:
    align = node.find(f"{_w('pPr')}/{_w('jc')}")
    value = align.get(_w("val"), "") if align is not None else ""
    return Paragraph(tuple(_run(r) for r in _runs(node)), _ALIGN.get(value, ""))


def _runs(node):
    for child in node:
        if child.tag == _w("r"):
            yield child
        elif child.tag not in _SKIPPED:
            yield from _runs(child)


def _run(node) -> Run:
    parts = []
    for child in node:
        if child.tag == _w("t"):
            parts.append(child.text or "")
        elif child.tag in (_w("tab"), _w("ptab")):
            parts.append(" ")
        elif child.tag in (_w("br"), _w("cr")):
            parts.append("\n")
        elif child.tag == _w("noBreakHyphen"):
            parts.append("-")
    props = node.find(_w("rPr"))
    flags = [props.find(_w(n)) if props is not None else None for n in ("b", "i", "u")]
    return Run("".join(parts), *(_on(flag) for flag in flags))


def _table(node) -> Table:
    rows = node.iterchildren(_w("tr"))
    return Table(tuple(tuple(_cell(c) for c in row.iterchildren(_w("tc"))) for row in rows))


def _cell(node) -> Cell:
    span = node.find(f"{_w('tcPr')}/{_w('gridSpan')}")
    value = span.get(_w("val"), "") if span is not None else ""
    span = int(value) if value.isdecimal() and len(value) < 4 else 1
    return Cell(tuple(_cell_paragraphs(node)), min(max(span, 1), _MAX_SPAN))


def _cell_paragraphs(node):
    """A cell's paragraphs, a nested table's joined in (a table in a cell stays simple)."""
    for block in _blocks(node):
        if block.is_table:
            for row in block.rows:
                for cell in row:
                    yield from cell.paragraphs
        else:
            yield block
