"""Copies of an issued document — SAO Y, SAO LỤC, TRÍCH SAO (Decree 30/2020, art. 25–27 and
appendix I, part on the copy form).

A copy is a new file: the pages of the signed original (or, for an extract, the pages chosen),
then the copy block "on the same sheet, after the last part of the copied document, under a solid
line across the text area" — here the page that follows, since the original's pages are kept as
they are: the copy form (its kind in capitals, the copying organ, its own number ``Số: 01/SY-UBND``
from one register per organ and year shared by the three kinds, place and date, the signer's
title and name, the recipients). The organisation then signs the copy with its seal signature
(art. 26: a copy made so has the legal value of the original). The signed original is never
touched.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.core import audit
from congso.core.numbering import next_value

from . import lifecycle
from .lifecycle import OutgoingState
from .models import DocumentCopy, VersionKind

#: Decree 30, appendix III: abbreviations of the copy kinds.
KINDS = {
    "SY": gettext_lazy("SAO Y"),
    "SL": gettext_lazy("SAO LỤC"),
    "TS": gettext_lazy("TRÍCH SAO"),
}
EXTRACT = "TS"


def register_key(unit_id: int, year: int) -> str:
    """One register of copies per organ and year, shared by the three kinds (appendix I: the
    copy's number is the order of registration of every copy the organ makes, 01 from 1 January)."""
    return f"documents:copies:{unit_id}:{year}"


def next_number(unit_id: int, year: int) -> int:
    """Inside the caller's transaction: a failed copy gives its number back."""
    return next_value(register_key(unit_id, year))


def notation(number: int, kind: str, organ_symbol: str) -> str:
    """``01/SY-UBND``: number, the kind's abbreviation and the copying organ's."""
    return f"{number:02d}/{kind}-{organ_symbol or 'UBND'}"


def parse_pages(text: str, page_count: int) -> list[int]:
    """``"1-2, 4"`` → ``[0, 1, 3]`` (zero-based, in order, each once) for an extract; a page
    outside the document or a malformed range is a Vietnamese error."""
    pages: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        first, _dash, last = part.partition("-")
        try:
            start, end = int(first), int(last or first)
        except ValueError:
            raise ValueError(_("Trang “%(part)s” không hợp lệ.") % {"part": part}) from None
        if not 1 <= start <= end <= page_count:
            raise ValueError(
                _("Văn bản có %(count)s trang; “%(part)s” nằm ngoài.")
                % {"count": page_count, "part": part}
            )
        pages.extend(n - 1 for n in range(start, end + 1) if n - 1 not in pages)
    if not pages:
        raise ValueError(_("Trích sao cần ghi các trang được trích, ví dụ 1-2."))
    return pages


@dataclass(frozen=True)
class CopyForm:
    """What the copy block shows."""

    kind: str
    organ: str
    notation: str
    place_and_date: str
    signer_title: str
    signer_name: str
    recipients: list[str]


def block_pdf(form: CopyForm) -> bytes:
    """The copy block on an A4 page with Decree 30's margins, rendered by WeasyPrint."""
    from .compose import html_to_pdf

    html = render_to_string(
        "documents/print/copy_block.html", {"form": form, "kind_label": KINDS[form.kind]}
    )
    return html_to_pdf(html)


def assemble(original: bytes, block: bytes, pages: list[int] | None = None) -> bytes:
    """A new PDF: the original's pages (all, or ``pages``) drawn as they are, then the block's
    page. The original's bytes are only read."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import PdfFileWriter

    source = PdfFileReader(io.BytesIO(original), strict=False)
    block_reader = PdfFileReader(io.BytesIO(block), strict=False)
    writer = PdfFileWriter()
    count = int(source.root["/Pages"]["/Count"])
    for index in pages if pages is not None else range(count):
        _copy_page(writer, source, index)
    _copy_page(writer, block_reader, 0)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _copy_page(writer, reader, index: int) -> None:
    """Draw page ``index`` of ``reader`` on a new page, with what its annotations show (the
    signatures' stamps, the seal and signature images) flattened onto it: a copy reproduces the
    document as it looks, its signatures' marks included, not their cryptographic value."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PageObject

    page, *_rest = reader.find_page_for_modification(index)
    page = page.get_object()
    media_box = [float(value) for value in page["/MediaBox"]]
    shown = {"/Pg": writer.import_page_as_xobject(reader, index)}
    commands = [b"q /Pg Do Q"]
    for number, (appearance, matrix) in enumerate(_appearances(page)):
        name = f"/Ap{number}"
        shown[name] = writer.import_object(appearance)
        commands.append(b"q %s cm %s Do Q" % (matrix.encode(), name.encode()))
    stream = generic.StreamObject(stream_data=b"\n".join(commands))
    xobjects = generic.DictionaryObject({generic.NameObject(k): v for k, v in shown.items()})
    resources = generic.DictionaryObject({generic.NameObject("/XObject"): xobjects})
    writer.insert_page(PageObject(writer.add_object(stream), media_box, resources))


def _appearances(page):
    """(normal appearance stream reference, ``cm`` operands placing it on its /Rect) of each
    visible annotation of ``page`` (PDF 32000 §12.5.5, with the appearance's own /BBox)."""
    from pyhanko.pdf_utils import generic

    for annotation in page.get("/Annots") or []:
        annotation = annotation.get_object()
        if "/AP" not in annotation or "/N" not in annotation["/AP"]:
            continue
        normal = annotation["/AP"]["/N"]
        hidden = int(annotation.get("/F", 0)) & 2
        if hidden or not isinstance(normal, generic.StreamObject) or "/BBox" not in normal:
            continue
        x1, y1, x2, y2 = _normalised(annotation["/Rect"])
        bx1, by1, bx2, by2 = _normalised(normal["/BBox"])
        if bx2 == bx1 or by2 == by1:
            continue
        a, d = (x2 - x1) / (bx2 - bx1), (y2 - y1) / (by2 - by1)
        yield (
            annotation["/AP"].raw_get("/N"),
            f"{a:.4f} 0 0 {d:.4f} {x1 - a * bx1:.2f} {y1 - d * by1:.2f}",
        )


@dataclass
class CopyRequest:
    """What the clerk chooses: the kind, who signs (art. 27: the head of the organ decides who
    signs copies), the recipients and, for an extract, the pages."""

    kind: str
    signer_name: str
    signer_title: str
    recipients: list[str] = field(default_factory=list)
    pages: str = ""


def make_copy(document, user, request: CopyRequest, *, now=None) -> DocumentCopy:
    """Copy an issued document into a new file signed by the organ's seal, numbered in the
    organ's register of copies; a refusal (Vietnamese) numbers and writes nothing."""
    from congso.signing.services import level_for, organisation_key, sign_pdf, store_signed_file

    from .compose import place_and_date
    from .services.access import _require
    from .services.versions import _page_count

    _require(user, lifecycle.ISSUE, document.unit)
    original = _issued_version(document).read()
    pages = _checked(request, _page_count(original))
    key = organisation_key(document.unit)
    if key is None:
        raise ValidationError(
            _("%(organ)s chưa có chứng thư số của cơ quan còn hiệu lực; chưa thể sao.")
            % {"organ": document.unit},
            code="no_seal",
        )
    now = timezone.localtime(now or timezone.now())
    unit = document.unit
    with transaction.atomic():
        number = next_number(unit.pk, now.year)
        form = CopyForm(
            kind=request.kind,
            organ=unit.name,
            notation=notation(number, request.kind, unit.symbol),
            place_and_date=place_and_date(document.place or unit.name, now.date()),
            signer_title=request.signer_title.strip(),
            signer_name=request.signer_name.strip(),
            recipients=[r.strip() for r in request.recipients if r.strip()],
        )
        signed = sign_pdf(
            assemble(original, block_pdf(form), pages),
            key=key,
            reason=_("%(kind)s văn bản %(notation)s")
            % {"kind": KINDS[request.kind], "notation": document.notation},
            location=document.place,
            signer_user=user,
            level=level_for(unit),
        )
        stored = store_signed_file(signed, name=f"{form.notation.replace('/', '-')}.pdf")
        copy = DocumentCopy.objects.create(
            document=document,
            unit=unit,
            kind=request.kind,
            year=now.year,
            number=number,
            notation=form.notation,
            pages=request.pages.strip()[:100] if pages is not None else "",
            signer_name=form.signer_name[:200],
            signer_title=form.signer_title[:200],
            recipients_text="; ".join(form.recipients)[:500],
            signed_file=stored,
            created_by=user,
        )
        audit.record(
            "documents.copied",
            document,
            unit_id=unit.pk,
            data={"copy": copy.notation, "kind": copy.kind, "sha256": stored.sha256},
        )
    return copy


def _issued_version(document):
    issued = document.versions.filter(kind=VersionKind.ISSUED).order_by("-number").first()
    if not document.is_outgoing or document.state != OutgoingState.ISSUED or issued is None:
        raise ValidationError(_("Chỉ sao được văn bản đã phát hành."), code="not_issued")
    return issued


def _checked(request: CopyRequest, page_count: int) -> list[int] | None:
    """The pages of an extract (None: the whole document); every field error at once."""
    errors, pages = {}, None
    if request.kind not in KINDS:
        errors["kind"] = _("Hãy chọn hình thức sao: sao y, sao lục hoặc trích sao.")
    if not request.signer_name.strip():
        errors["signer_name"] = _("Cần họ tên người ký bản sao.")
    if not request.signer_title.strip():
        errors["signer_title"] = _("Cần chức vụ người ký bản sao.")
    if request.kind == EXTRACT:
        try:
            pages = parse_pages(request.pages, page_count)
        except ValueError as exc:
            errors["pages"] = str(exc)
    if errors:
        raise ValidationError(errors, code="bad_copy")
    return pages


def _normalised(rectangle) -> tuple[float, float, float, float]:
    """A PDF rectangle's corners may come in any order (PDF 32000 §7.9.5): lower left first."""
    xa, ya, xb, yb = (float(v) for v in rectangle)
    return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)
