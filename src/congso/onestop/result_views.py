"""The result panel of the dossier page: the draft as it will be signed (page images and the
bound fields as text), drafting from the declaration, corrections with their reason, and the
forms issued for the dossier. Every change goes through ``results`` (one transaction, audited)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congso.core import pdfpages

from . import printing, results, services
from .lifecycle import Actor, State
from .models import Dossier, Result, StepKind


class CorrectionForm(forms.Form):
    """One correction of the draft: which content, the new text, and why (the note needs none)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    key = forms.ChoiceField(label=gettext_lazy("Nội dung cần sửa"))
    value = forms.CharField(
        label=gettext_lazy("Nội dung mới"), max_length=results.MAX_TEXT, required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do sửa"),
        help_text=gettext_lazy("Căn cứ giấy tờ trong hồ sơ; không cần khi chỉ ghi chú."),
        max_length=results.MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, result: Result | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = (result.labels if result else {}) or {}
        choices = [("note", _("Ghi chú"))]
        choices += [(key, label) for key, label in labels.items()]
        self.fields["key"].choices = choices


class DraftForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _dossier(user, code: str) -> Dossier:
    from .views import _dossier_or_404

    return _dossier_or_404(user, code)


def _specialist_opinion(dossier: Dossier) -> str:
    step = (
        dossier.steps.filter(kind=StepKind.MAIN, actor=Actor.SPECIALIST)
        .exclude(opinion="")
        .order_by("-position")
        .first()
    )
    return step.opinion if step else ""


def panel(user, dossier: Dossier) -> dict:
    """The context of ``onestop/_result.html`` (a few queries, no rendering)."""
    result = Result.objects.filter(dossier=dossier).select_related("signed_file").first()
    can_draft = results.may_draft(user, dossier) and not (result and result.signed)
    preview = None
    if result and result.file:
        preview = pdfpages.shown_pages(_read(result))
    actors = services.actors_for(user, dossier) if dossier.state == State.PROCESSING else set()
    return {
        "result": result,
        "result_preview": preview,
        "result_fields": [
            (result.labels.get(k, k), v) for k, v in (result.values or {}).items() if v
        ]
        if result
        else [],
        "can_draft": can_draft,
        "draft_form": DraftForm(initial={"revision": dossier.revision}) if can_draft else None,
        "correction_form": CorrectionForm(
            initial={"revision": dossier.revision}, result=result, auto_id="fix-%s"
        )
        if can_draft and result and result.generated
        else None,
        "deciding": Actor.LEADER in actors,
        "specialist_opinion": _specialist_opinion(dossier),
        "issued_forms": printing.applicable_forms(dossier),
        "leader_signing": _leader_signing(user, result),
    }


def _leader_signing(user, result: Result | None) -> dict | None:
    """How the leader will sign the result that waits for him (shown before signing); None when
    it does not wait for him. ``certificate`` is None when he has no personal certificate."""
    from congso.signing.services import personal_certificate, signing_method

    if result is None or result.awaiting_signer_id != user.pk:
        return None
    certificate = personal_certificate(user)
    if certificate is None:
        return {"certificate": None}
    identifier, label = signing_method(certificate)
    return {"identifier": identifier, "label": label, "certificate": certificate}


def _read(result: Result) -> bytes:
    try:
        with result.file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return b""


def _refused(request, exc) -> None:
    for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
        messages.error(request, message)


def _stale(request, dossier: Dossier, revision: int) -> bool:
    if revision != dossier.revision:
        from .views import STALE

        messages.error(request, STALE)
        return True
    return False


@login_required
@require_POST
def draft(request, code: str):
    """The specialist drafts the result from the declaration and the templates."""
    dossier = _dossier(request.user, code)
    form = DraftForm(request.POST)
    if not form.is_valid() or _stale(request, dossier, form.cleaned_data["revision"]):
        return redirect("onestop:dossier", code=dossier.code)
    try:
        results.draft(dossier, request.user)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("Đã lập bản dự thảo kết quả từ tờ khai. Hãy kiểm tra bên dưới.")
        )
    return redirect("onestop:dossier", code=dossier.code)


@login_required
@require_POST
def correct(request, code: str):
    """One correction of the draft, with its reason."""
    dossier = _dossier(request.user, code)
    result = Result.objects.filter(dossier=dossier).first()
    form = CorrectionForm(request.POST, result=result)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("onestop:dossier", code=dossier.code)
    if _stale(request, dossier, form.cleaned_data["revision"]):
        return redirect("onestop:dossier", code=dossier.code)
    data = form.cleaned_data
    try:
        results.correct(
            dossier, request.user, key=data["key"], value=data["value"], reason=data["reason"]
        )
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Đã sửa bản dự thảo kết quả; lần sửa đã được ghi lại."))
    return redirect("onestop:dossier", code=dossier.code)


@login_required
def preview(request, code: str, page: int):
    """Page ``page`` of the result as an image, for those who may see the dossier."""
    dossier = _dossier(request.user, code)
    result = Result.objects.filter(dossier=dossier).exclude(file="").first()
    image = pdfpages.page_png(_read(result), page) if result else None
    if image is None:
        raise Http404
    return pdfpages.png_response(image)
