"""A document's text on any screen: the pages of its latest PDF (the draft being reviewed, the
signed or issued copy, the copy received) shown as images in the document's page, so a leader
reads on the phone exactly what they approve and sign, without a PDF viewer and without scrolling
sideways (issue 17, item 7). The images are made from the stored bytes and served inert
(``core.pdfpages``)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from congso.core import pdfpages

from .models import Version, VersionKind

#: The versions that are the document's text, as opposed to its Word source or working papers.
TEXT_KINDS = (
    VersionKind.DRAFT,
    VersionKind.PERSONAL_SIGNED,
    VersionKind.ISSUED,
    VersionKind.RECEIVED,
)


def text_version(document) -> Version | None:
    """The newest PDF that is the document's text (None for a document without one)."""
    return (
        document.versions.filter(kind__in=TEXT_KINDS, content_type="application/pdf")
        .order_by("-number")
        .first()
    )


def text_pages(document) -> dict:
    """The detail page's context for the pages (no PDF is read: the page count is stored)."""
    version = text_version(document)
    if version is None:
        return {}
    shown = range(1, min(pdfpages.PAGES, max(1, document.page_count)) + 1)
    return {"text_version": version, "text_pages": shown}


@login_required
def page_image(request, pk: int, number: int, page: int):
    """Page ``page`` of version ``number`` as an image, for those who may see the document."""
    from .views import _visible  # the views show these pages (``text_pages``)

    document = _visible(request, pk)
    version = document.versions.filter(
        number=number, kind__in=TEXT_KINDS, content_type="application/pdf"
    ).first()
    image = pdfpages.page_png(version.read(), page) if version else None
    if image is None:
        raise Http404
    return pdfpages.png_response(image)
