"""A PDF's pages as images, so a draft can be read on any screen before it is approved or signed
(a phone has no PDF viewer inside the page, and a PDF opened beside the page is not what the
official confirms). The images are PNGs made by poppler's ``pdftoppm`` from the stored bytes and
served as plain images (``nosniff``, never cached by a shared cache): nothing in the PDF runs.
"""

import io
import subprocess
import tempfile
from pathlib import Path

from django.http import HttpResponse

#: Pages shown at most, and their resolution (dots per inch: an A4 page about 900 px wide, so a
#: phone's zoom keeps the text sharp).
PAGES = 6
DPI = 110


def page_png(data: bytes, page: int) -> bytes | None:
    """Page ``page`` (from 1) of a PDF as a PNG, None past ``PAGES`` or the document's end."""
    if not 1 <= page <= PAGES:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "draft.pdf"
        source.write_bytes(data)
        done = subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(DPI),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(source),
                str(Path(folder) / "page"),
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
        image = Path(folder) / "page.png"
        return image.read_bytes() if done.returncode == 0 and image.exists() else None


def shown_pages(data: bytes) -> range:
    """The pages the preview shows: 1 .. the PDF's page count, at most ``PAGES``."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        count = int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"])
    except (PdfError, KeyError, ValueError, TypeError):
        count = 1
    return range(1, min(PAGES, max(1, count)) + 1)


def png_response(image: bytes) -> HttpResponse:
    """An image of a page, for those who may see the document: inert, and kept by no cache."""
    response = HttpResponse(image, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
