"""The official's personal signature with their own signer, from the document page.

The page's script (``documents/signing.js``) starts the request, then either hands it to the
local signing agent and posts the agent's answer back (desk token), or waits while the official
confirms on the phone, asking the server to poll the CA's service (remote signing). Answers are
JSON; a refusal is a Vietnamese message and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.signing.services import pending_signature, relayed_signature

from . import services
from .views import _visible


def _refusal(error) -> JsonResponse:
    message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return JsonResponse({"error": message}, status=400)


def _done(request, document) -> JsonResponse:
    messages.success(request, services.outcome(document, "sign").message)
    return JsonResponse({"done": True, "redirect": reverse("documents:detail", args=[document.pk])})


@login_required
@require_POST
def start(request, pk: int):
    document = _visible(request, pk)
    try:
        pending, step = services.start_signing(document, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        return _refusal(exc)
    urls = {
        "complete_url": reverse("documents:sign_complete", args=[document.pk, pending.pk]),
        "status_url": reverse("documents:sign_status", args=[document.pk, pending.pk]),
    }
    if step.kind == "done":
        return _finish(request, document, pending, step.signature)
    return JsonResponse({"step": step.kind, "request": step.request, **urls})


def _pending(request, document, pending_pk: int):
    pending = pending_signature(pending_pk, user=request.user)
    if pending is None:
        raise Http404(_("Không tìm thấy yêu cầu ký."))
    return pending


def _finish(request, document, pending, signature):
    try:
        done = services.finish_signing(document, pending, actor=request.user, signature=signature)
    except (ValidationError, PermissionDenied, services.Conflict) as exc:
        return _refusal(exc)
    if done is None:
        return JsonResponse({"done": False})
    return _done(request, done)


@login_required
@require_POST
def complete(request, pk: int, pending: int):
    """The desk token's answer, relayed by the browser: ``{"signature": base64}``."""
    document = _visible(request, pk)
    found = _pending(request, document, pending)
    try:
        signature = relayed_signature(request.body)
    except ValidationError as exc:
        return JsonResponse({"error": exc.messages[0]}, status=400)
    return _finish(request, document, found, signature)


@login_required
@require_POST
def status(request, pk: int, pending: int):
    """Has the official confirmed on the phone? The server asks the CA's service."""
    document = _visible(request, pk)
    return _finish(request, document, _pending(request, document, pending), None)
