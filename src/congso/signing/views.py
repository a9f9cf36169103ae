"""The public verification page (upload a signed PDF, read a report per signature) and the
OCSP responder of the platform's own CAs."""

import base64
import binascii
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services
from .forms import VerifyForm


@require_http_methods(["GET", "POST"])
def verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.verify_upload(form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "signing/verify.html", {"form": form, "result": result}, status=status)


MAX_OCSP_REQUEST = 4096


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ocsp(request, encoded: str = ""):
    """RFC 6960 responder for the platform's own CAs: ``POST`` a DER request
    (``application/ocsp-request``) or ``GET …/ocsp/<base64 request>``; always a DER response
    (an unsuccessful one for junk), never an HTML error page."""
    from . import revocation

    if request.method == "POST":
        data = request.body[: MAX_OCSP_REQUEST + 1]
    else:
        try:
            data = base64.b64decode(unquote(encoded), validate=False)
        except (binascii.Error, ValueError):
            data = b""
    if len(data) > MAX_OCSP_REQUEST:
        data = b""
    return HttpResponse(
        revocation.answer_ocsp_request(data), content_type="application/ocsp-response"
    )
