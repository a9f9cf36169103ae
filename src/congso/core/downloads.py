"""File responses: the one way a file leaves the platform (Vietnamese file names are slugged by the
caller).

Whatever a file claims to be, the browser gets the type recognised from its bytes
(``core.uploads.sniff``), told not to guess another (``nosniff``), and a sandbox in which nothing
in the file runs with the platform's origin. Only a PDF, JPEG or PNG may be shown in the browser;
everything else is saved."""

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .uploads import INLINE, PDF, XLSX, sniff

__all__ = ["PDF", "XLSX", "download", "stored"]

OCTET = "application/octet-stream"
#: Types the platform builds itself that no browser runs: named as the caller says.
_PLAIN = {"application/json", "text/csv", "text/calendar"}


def download(
    data: bytes, content_type: str, filename: str, *, inline: bool = False
) -> HttpResponse:
    """``data`` as a response the browser saves as ``filename`` (or shows, when ``inline`` and
    the bytes are a PDF or an image)."""
    kind = sniff(data)
    if kind:
        served = kind[0]
    else:
        served = content_type if content_type.split(";")[0].strip() in _PLAIN else OCTET
    response = HttpResponse(data, content_type=served)
    response["Content-Disposition"] = content_disposition_header(
        not (inline and served in INLINE), filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def stored(field, filename: str, *, inline: bool = False) -> HttpResponse:
    """A stored file (a ``FieldFile``) as a download; 404 when it is gone from storage."""
    try:
        with field.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError) as missing:
        raise Http404(_("Không tìm thấy tệp.")) from missing
    return download(data, OCTET, filename, inline=inline)
