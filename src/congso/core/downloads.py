"""File responses: the one way a file leaves the platform (Vietnamese file names are slugged by the
caller).

Whatever a file claims to be, the browser gets the type recognised from its bytes
(``core.uploads.sniff``), told not to guess another (``nosniff``), and a sandbox in which nothing
in the file runs with the platform's origin. Only a PDF, JPEG or PNG may be shown in the browser;
everything else is saved."""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .uploads import INLINE, PDF, XLSX, sniff, sniff_file

__all__ = ["PDF", "XLSX", "download", "stored"]

OCTET = "application/octet-stream"
#: Types the platform builds itself that no browser runs: named as the caller says.
_PLAIN = {"application/json", "text/csv", "text/calendar"}


def _served(kind: tuple[str, str] | None, content_type: str) -> str:
    if kind:
        return kind[0]
    return content_type if content_type.split(";")[0].strip() in _PLAIN else OCTET


def _inert(response, served: str, filename: str, inline: bool):
    """The headers every file leaves with: saved (or shown, a PDF or an image asked ``inline``),
    its type never guessed, nothing in it run with the platform's origin."""
    response["Content-Disposition"] = content_disposition_header(
        not (inline and served in INLINE), filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def download(
    data: bytes, content_type: str, filename: str, *, inline: bool = False
) -> HttpResponse:
    """``data`` as a response the browser saves as ``filename`` (or shows, when ``inline`` and
    the bytes are a PDF or an image)."""
    served = _served(sniff(data), content_type)
    return _inert(HttpResponse(data, content_type=served), served, filename, inline)


def stored(field, filename: str, *, inline: bool = False) -> FileResponse:
    """A stored file (a ``FieldFile``) as a download streamed from storage a block at a time (a
    year's register as a PDF is never held whole in memory); 404 when it is gone from storage."""
    try:
        handle = field.open("rb")
    except (OSError, ValueError) as missing:
        raise Http404(_("Không tìm thấy tệp.")) from missing
    try:
        served = _served(sniff_file(handle), OCTET)
    except OSError as unreadable:
        handle.close()
        raise Http404(_("Không tìm thấy tệp.")) from unreadable
    return _inert(FileResponse(handle, content_type=served), served, filename, inline)
