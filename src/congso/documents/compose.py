"""A draft composed from the Decree 30 layout (appendix I): A4, margins top/bottom 20 mm,
left 30 mm, right 15 mm, Times New Roman (Liberation Serif has the same metrics), national motto,
organ, ``Số: …``, place and date, type and subject, body, recipients and signer block.
WeasyPrint renders it; the same engine renders the registers.

The body is the text typed in the form or, for a draft uploaded as DOCX, the paragraphs and tables
read from it (``drafts.read_body``): the header, signer block and recipients always come from the
document's fields, so every draft has the same layout whatever it was written in."""

from django.template.loader import render_to_string
from django.utils import timezone

from congso.signing.services import finish_draft_form

from . import drafts
from .numbering import LETTER


def html_to_pdf(html: str, *, forms: bool = False) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_forms=forms)


def place_and_date(place: str, day=None) -> str:
    """``Xã A, ngày 02 tháng 12 năm 2026`` (Decree 30, appendix I, I.5): day and month below 10
    and, for the month, below 3 take a leading zero; without ``day`` the draft's blanks."""
    if day is None:
        year = timezone.localdate().year
        return f"{place}, ngày      tháng      năm {year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def render(document, body=None) -> bytes:
    """The draft as a PDF; ``body`` (paragraphs and tables) defaults to the typed text."""
    today = timezone.localdate()
    drafting = document.drafting_unit.symbol if document.drafting_unit else ""
    symbol = document.unit.symbol or "UBND"
    tail = (
        f"{symbol}-{drafting}" if document.doc_type == LETTER else f"{document.doc_type}-{symbol}"
    )
    context = {
        "document": document,
        "parent": document.unit.parent,
        "notation_placeholder": f"      /{tail}",
        "date_placeholder": place_and_date(document.place),
        "today": today,
        "is_letter": document.doc_type == LETTER,
        "body": drafts.paragraphs(document.body) if body is None else body,
        "recipients": [r.name for r in document.recipients.all()],
    }
    html = render_to_string("documents/print/document.html", context)
    return finish_draft_form(html_to_pdf(html, forms=True))
