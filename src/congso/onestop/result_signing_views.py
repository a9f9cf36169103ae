"""The approving leader's personal signature on a result that waits for it, from the dossier page.

The page's script (the documents' ``signing.js``, the one signing script) starts the request,
then hands it to the local signing agent and posts its answer back (desk token), or waits while
the leader confirms on the phone, asking the server to poll the CA's service (remote signing).
Answers are JSON; a refusal is a Vietnamese message and changes nothing. Once signed, the
organisation seals the result and it can be handed over.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.signing.services import pending_signature, relayed_signature

from . import results
from .models import Result


def _result(request, code: str) -> Result:
    from .views import _dossier_or_404

    dossier = _dossier_or_404(request.user, code)
    result = Result.objects.filter(dossier=dossier).first()
    if result is None:
        raise Http404
    return result


def _refusal(error) -> JsonResponse:
    message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return JsonResponse({"error": message}, status=400)


def _finish(request, result, pending, signature) -> JsonResponse:
    try:
        done = results.finish_leader_signature(result, request.user, pending, signature=signature)
    except (ValidationError, PermissionDenied) as exc:
        return _refusal(exc)
    if done is None:
        return JsonResponse({"done": False})
    code = result.dossier.code
    if done.signed:
        messages.success(
            request, _("Đã ký số kết quả hồ sơ %(code)s; cơ quan đã đóng dấu số.") % {"code": code}
        )
    else:
        messages.warning(request, done.unsigned_reason)
    return JsonResponse({"done": True, "redirect": reverse("onestop:dossier", args=[code])})


def _pending(request, pk: int):
    pending = pending_signature(pk, user=request.user)
    if pending is None:
        raise Http404(_("Không tìm thấy yêu cầu ký."))
    return pending


@login_required
@require_POST
def start(request, code: str):
    result = _result(request, code)
    try:
        pending, step = results.start_leader_signature(result, request.user)
    except (ValidationError, PermissionDenied) as exc:
        return _refusal(exc)
    if step.kind == "done":
        return _finish(request, result, pending, step.signature)
    urls = {
        "complete_url": reverse("onestop:result_sign_complete", args=[code, pending.pk]),
        "status_url": reverse("onestop:result_sign_status", args=[code, pending.pk]),
    }
    return JsonResponse({"step": step.kind, "request": step.request, **urls})


@login_required
@require_POST
def complete(request, code: str, pending: int):
    """The desk token's answer, relayed by the browser: ``{"signature": base64}``."""
    result = _result(request, code)
    found = _pending(request, pending)
    try:
        signature = relayed_signature(request.body)
    except ValidationError as exc:
        return JsonResponse({"error": exc.messages[0]}, status=400)
    return _finish(request, result, found, signature)


@login_required
@require_POST
def status(request, code: str, pending: int):
    """Has the leader confirmed on the phone? The server asks the CA's service."""
    result = _result(request, code)
    return _finish(request, result, _pending(request, pending), None)
