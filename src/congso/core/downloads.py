"""File responses: one place that names the download (Vietnamese file names are slugged by the
caller) and chooses between showing it in the browser and saving it."""

from django.http import HttpResponse

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(
    data: bytes, content_type: str, filename: str, *, inline: bool = False
) -> HttpResponse:
    """``data`` as a response the browser saves as ``filename`` (or shows, when ``inline``)."""
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
