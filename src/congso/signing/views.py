"""The public verification page (upload a signed PDF, read a report per signature) and the
OCSP responder of the platform's own CAs."""

import base64
import binascii
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from congso.core import ratelimit

from . import services
from .forms import VerifyForm

VERIFY_SCOPE = "signature-verify"


def verify_allowed(request) -> bool:
    """One check of an untrusted PDF costs CPU: ``CONGSO_VERIFY_RATE`` per client address and
    per account, the page and the API counted together."""
    return ratelimit.allow_request(request, VERIFY_SCOPE, settings.CONGSO_VERIFY_RATE)


def too_many_checks() -> str:
    return _("Bạn đã kiểm tra quá nhiều tệp; vui lòng thử lại sau ít phút.")


@require_http_methods(["GET", "POST"])
def verify(request):
    if request.method != "POST":
        return render(request, "signing/verify.html", {"form": VerifyForm()})
    form = VerifyForm(request.POST, request.FILES)
    result, status = None, 200
    if not verify_allowed(request):
        form.full_clean()
        form.add_error(None, too_many_checks())
        status = 429
    elif form.is_valid():
        try:
            result = services.verify_upload(form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
    if form.errors and status == 200:
        status = 400
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
