"""A draft composed from the Decree 30 layout (appendix I): A4, margins top/bottom 20 mm,
left 30 mm, right 15 mm, Times New Roman (Liberation Serif has the same metrics), national motto,
organ, ``Số: …``, place and date, type and subject, body, recipients and signer block.
WeasyPrint renders it; the same engine renders the registers.

The body is the text typed in the form or, for a draft uploaded as DOCX, the paragraphs and tables
read from it (``drafts.read_body``): the header, signer block and recipients always come from the
document's fields, so every draft has the same layout whatever it was written in."""

from django.template.loader import render_to_string
from django.utils import timezone

from . import drafts
from .numbering import LETTER


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


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
        "today": today,
        "is_letter": document.doc_type == LETTER,
        "body": drafts.paragraphs(document.body) if body is None else body,
        "recipients": [r.name for r in document.recipients.all()],
    }
    return html_to_pdf(render_to_string("documents/print/document.html", context))
