"""Where Decree 30 puts things on a signed document, and the form fields that hold them.

Decree 30/2020, appendix I, part II: the signer's signature image (blue, transparent PNG) sits
centred between the signer's title and name; the organisation's seal image (red, true size,
transparent PNG) covers about the left third of it; the number, notation and issue date are
written into the header by the clerk at issue, before the organisation signs.

A composed draft carries three form fields laid out by the template: ``so_ky_hieu`` (the number
and notation after ``Số:``), ``ngay_ban_hanh`` (place and date) and ``chu_ky`` (the space between
title and name). ``finish_draft_form`` gives the text fields a fixed appearance and turns the
space into an empty signature field; at issue ``fill_fields`` writes number and date into the
same revision as the organisation's signature — form filling, which a signature made before
allows (pyHanko reports it as ``FORM_FILLING``, not as a suspicious change).
"""

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import (
    AxisAlignment,
    BoxConstraints,
    InnerScaling,
    Margins,
    SimpleBoxLayoutRule,
)
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStamp, TextStampStyle

NUMBER_FIELD = "so_ky_hieu"
DATE_FIELD = "ngay_ban_hanh"
SPACE_FIELD = "chu_ky"
#: The empty signature field the signer's signature fills (the space between title and name).
SIGNER_FIELD = "ChuKyNguoiKy"
READ_ONLY = 1
#: A seal image without a resolution is drawn at 36 mm, the usual diameter of a people's
#: committee seal (Decree 99/2016 leaves the size to the Ministry of Public Security's rules).
DEFAULT_SEAL_MM = 36.0
MM = 72 / 25.4
ITALIC_FONT = "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-italic.otf"


@dataclass(frozen=True)
class Placed:
    """A rectangle on a page: page index and (x1, y1, x2, y2) in points."""

    page: int
    box: tuple[float, float, float, float]

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


def _fields(root) -> list:
    form = root.get("/AcroForm")
    if form is None:
        return []
    return [reference for reference in form.get_object().get("/Fields", [])]


def _name(field) -> str:
    return str(field.get("/T", ""))


def _rect(field) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _page_of(root, field) -> int:
    page_ref = field.get_value_as_reference("/P") if "/P" in field else None
    pages = _page_refs(root)
    if page_ref is not None and page_ref in pages:
        return pages.index(page_ref)
    for index, ref in enumerate(pages):
        annots = ref.get_object().get("/Annots", [])
        if any(getattr(a, "idnum", None) == getattr(field, "idnum", -1) for a in annots):
            return index
    return len(pages) - 1


def _page_refs(root) -> list:
    refs = []

    def walk(node_ref):
        node = node_ref.get_object()
        if node.get("/Type") == "/Pages":
            for kid in node["/Kids"]:
                walk(kid)
        else:
            refs.append(node_ref)

    walk(root.raw_get("/Pages"))
    return refs


def find_field(root, name: str) -> Placed | None:
    """Where the form field ``name`` is (first widget), or None."""
    for reference in _fields(root):
        field = reference.get_object()
        if _name(field) == name:
            return Placed(_page_of(root, field), _rect(field))
    return None


# ---------------------------------------------------------------- appearances


@lru_cache(maxsize=2)
def _font_factory(italic: bool):
    from .engine import CachedFontFactory, font_factory

    if not italic:
        return font_factory()
    return CachedFontFactory(Path(ITALIC_FONT).read_bytes())


def text_appearance(writer, text: str, width: float, height: float, *, size: int, italic=False):
    """A widget appearance: ``text`` centred in the box, Times (TeX Gyre Termes) at ``size``."""
    style = TextStampStyle(
        stamp_text="%(value)s",
        text_box_style=TextBoxStyle(
            font=_font_factory(italic),
            font_size=int(size),
            leading=int(size * 1.2),
            box_layout_rule=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID, margins=Margins()
            ),
        ),
        border_width=0,
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(),
            inner_content_scaling=InnerScaling.SHRINK_TO_FIT,
        ),
    )
    stamp = TextStamp(
        writer, style, text_params={"value": text}, box=BoxConstraints(round(width), round(height))
    )
    return stamp.as_appearances().as_pdf_object()


def _size_of(field) -> int:
    """The font size the template asked for (``/DA … 13 Tf``), 13 pt by default."""
    parts = str(field.get("/DA", "")).split()
    if "Tf" in parts and parts.index("Tf") > 0:
        try:
            return round(float(parts[parts.index("Tf") - 1])) or 13
        except ValueError:
            pass
    return 13


def _set_text(writer, reference, value: str) -> None:
    field = reference.get_object()
    x1, y1, x2, y2 = _rect(field)
    field[generic.NameObject("/V")] = generic.TextStringObject(value)
    field[generic.NameObject("/AP")] = text_appearance(
        writer, value, x2 - x1, y2 - y1, size=_size_of(field), italic=_name(field) == DATE_FIELD
    )
    flags = int(field.get("/Ff", 0))
    field[generic.NameObject("/Ff")] = generic.NumberObject(flags | READ_ONLY)
    writer.mark_update(reference)


def finish_draft_form(pdf_bytes: bytes) -> bytes:
    """Fixed appearances for the header fields and an empty signature field for the space.

    Called on a freshly composed draft, before any signature: the viewer no longer has to make
    appearances (``/NeedAppearances`` off), and nobody can type into the header.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    root = writer.root
    references = _fields(root)
    if not references:
        return pdf_bytes
    for reference in references:
        field = reference.get_object()
        if _name(field) == SPACE_FIELD:
            for key in ("/V", "/DA", "/TU", "/Ff", "/AP", "/MaxLen", "/Q"):
                field.pop(key, None)
            field[generic.NameObject("/FT")] = generic.NameObject("/Sig")
            field[generic.NameObject("/T")] = generic.TextStringObject(SIGNER_FIELD)
            writer.mark_update(reference)
        elif field.get("/FT") == "/Tx":
            _set_text(writer, reference, str(field.get("/V", "")))
    form = root.raw_get("/AcroForm")
    form.get_object()[generic.NameObject("/NeedAppearances")] = generic.BooleanObject(False)
    if isinstance(form, generic.IndirectObject):
        writer.mark_update(form)
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def fill_fields(writer, values: dict[str, str]) -> list[str]:
    """Write ``values`` into the text fields of the same names (in ``writer``'s new revision);
    returns the names filled, so the caller can tell a draft without them."""
    filled = []
    for reference in _fields(writer.root):
        field = reference.get_object()
        name = _name(field)
        if name in values and field.get("/FT") == "/Tx":
            _set_text(writer, reference, values[name])
            filled.append(name)
    return filled


# ---------------------------------------------------------------- images


def image_size(data: bytes) -> tuple[int, int, tuple[float, float] | None]:
    """Pixel width and height and the resolution (dpi) the file states, if any."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        dpi = image.info.get("dpi")
        return image.width, image.height, (tuple(float(d) for d in dpi) if dpi else None)


def fit_image(space: tuple[float, float, float, float], data: bytes, *, margin: float = 2.0):
    """The box of the signature image drawn as large as fits in ``space``, centred, its
    proportions kept — the signature image sits centred between title and name."""
    width, height, _dpi = image_size(data)
    x1, y1, x2, y2 = space
    room_w, room_h = x2 - x1 - 2 * margin, y2 - y1 - 2 * margin
    scale = min(room_w / width, room_h / height)
    w, h = width * scale, height * scale
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def seal_size(data: bytes) -> tuple[float, float]:
    """True size in points: from the image's resolution, else the usual 36 mm wide."""
    width, height, dpi = image_size(data)
    if dpi and dpi[0] > 1 and dpi[1] > 1:
        return width / dpi[0] * 72, height / dpi[1] * 72
    w = DEFAULT_SEAL_MM * MM
    return w, w * height / width


def seal_box(signature: tuple[float, float, float, float], seal: tuple[float, float]):
    """The seal over about the left third of the signature image: its right edge one third
    into the image, centred on the image's height (Decree 30, appendix I, II.2.b)."""
    x1, y1, x2, y2 = signature
    w, h = seal
    right = x1 + (x2 - x1) / 3
    cy = (y1 + y2) / 2
    return (right - w, cy - h / 2, right, cy + h / 2)
