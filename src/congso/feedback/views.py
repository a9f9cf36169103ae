"""Feedback pages: rating a dossier, filing and following a complaint (citizens), the queue,
the answer page and the satisfaction report (officials), and the public transparency table.

Views translate HTTP to ``services`` calls; a refused action comes back as a Vietnamese message
on the page (never a 500) and nothing is saved. Another citizen's rating or complaint is "not
found" (404), never "forbidden".
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.permissions import acting_units, may
from congso.accounts.services import officials
from congso.core.collation import by_vietnamese
from congso.core.downloads import XLSX, download, stored
from congso.core.formatting import date as vndate
from congso.core.forms import add_service_errors
from congso.onestop.services import visible_dossiers

from . import lifecycle, reports, services
from .forms import (
    AnswerForm,
    AssignForm,
    ComplaintForm,
    EvaluateForm,
    PeriodForm,
    RatingForm,
    ReasonForm,
)
from .lifecycle import ComplaintState, Side
from .models import CRITERIA, Attachment, AttachmentRole, Complaint, Score

ACTION_FORMS = {
    "answer": AnswerForm,
    "reject": ReasonForm,
    "evaluate": EvaluateForm,
}


# --- Rating ---------------------------------------------------------------------------------


@login_required
def rate(request, code: str):
    """The applicant rates their dossier once it has a result (a desk officer may enter the
    rating the citizen gives at the counter)."""
    dossier = visible_dossiers(request.user).filter(code=code).select_related("procedure").first()
    if dossier is None or (
        dossier.applicant_id != request.user.pk and not services.at_desk(request.user, dossier)
    ):
        raise Http404(_("Không tìm thấy hồ sơ."))
    existing = getattr(dossier, "rating", None)
    refusal = None if existing else services.rating_refusal(request.user, dossier)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and not existing and not refusal and form.is_valid():
        try:
            services.rate(
                dossier,
                actor=request.user,
                overall=form.cleaned_data["overall"],
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá hồ sơ %(code)s.") % {"code": code})
            return redirect("feedback:rate", code)
    context = {
        "dossier": dossier,
        "rating": existing,
        "refusal": refusal,
        "form": form,
        "criteria": [
            (CRITERIA[k], Score(v).label) for k, v in (existing.scores if existing else {}).items()
        ],
    }
    return render(request, "feedback/rate.html", context)


@login_required
def desk(request):
    """The counter's kiosk list: dossiers of the desk officer's unit with a result and no rating
    yet, each opening the rating form for the citizen standing at the counter."""
    if not may(request.user, "feedback.desk_rate"):
        raise PermissionDenied(_("Trang này dành cho cán bộ Bộ phận Một cửa."))
    dossiers = (
        visible_dossiers(request.user)
        .filter(
            state__in=services.RATEABLE_STATES,
            rating__isnull=True,
            receiving_unit__in=acting_units(request.user, "feedback.desk_rate"),
        )
        .select_related("procedure")
        .order_by("-returned_at", "-id")[:50]
    )
    return render(request, "feedback/desk.html", {"dossiers": dossiers})


# --- Complaints: citizens -------------------------------------------------------------------


@login_required
def complaint_new(request):
    initial = {"dossier_code": request.GET.get("dossier", "")[:40]}
    form = ComplaintForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.file_complaint(
                actor=request.user,
                kind=data["kind"],
                subject=data["subject"],
                content=data["content"],
                dossier_code=data["dossier_code"],
                unit=data["unit"],
                procedure=data["procedure"],
                anonymous=data["anonymous"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                files=data["files"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã gửi phản ánh, kiến nghị %(code)s. Hạn trả lời: %(due)s.")
                % {"code": complaint.code, "due": vndate(timezone.localtime(complaint.due_at))},
            )
            return redirect("feedback:complaint", complaint.code)
    return render(request, "feedback/complaint_new.html", {"form": form})


@login_required
def my_complaints(request):
    complaints = Complaint.objects.filter(author=request.user).select_related("unit")
    return render(request, "feedback/my_complaints.html", {"complaints": complaints})


def _visible(request, code: str) -> Complaint:
    complaint = (
        services.visible_complaints(request.user)
        .select_related("unit", "author", "assignee", "procedure")
        .filter(code=code)
        .first()
    )
    if complaint is None:
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị."))
    return complaint


def _officials_for(complaint: Complaint):
    """Officials who may handle the complaint: positions at its unit or at a unit above it."""
    parts = complaint.unit.path.split(".")
    paths = [".".join(parts[: i + 1]) for i in range(len(parts))]
    candidates = officials().filter(is_active=True, positions__unit__path__in=paths).distinct()
    ids = [user.pk for user in candidates if may(user, "feedback.handle", complaint.unit)]
    return officials().filter(pk__in=ids).order_by(by_vietnamese("full_name"))


def _detail(request, complaint: Complaint, forms: dict | None = None, status: int = 200):
    sides = services.sides_for(request.user, complaint)
    allowed = services.allowed_actions(request.user, complaint)
    forms = forms or {}
    if "assign" in allowed and "assign" not in forms:
        forms["assign"] = AssignForm(officials=_officials_for(complaint))
    for action, form_class in ACTION_FORMS.items():
        if action in allowed and action not in forms:
            forms[action] = form_class()
    context = {
        "complaint": complaint,
        "official": Side.OFFICIAL in sides,
        "author_view": Side.CITIZEN in sides,
        "allowed": allowed,
        "labels": {a: lifecycle.ACTIONS[a][0] for a in allowed},
        "forms": forms,
        "complaint_files": complaint.attachments.filter(role=AttachmentRole.COMPLAINT),
        "answer_files": complaint.attachments.filter(role=AttachmentRole.ANSWER),
        "overdue": complaint.state in lifecycle.OPEN_STATES and complaint.due_at < timezone.now(),
    }
    return render(request, "feedback/complaint.html", context, status=status)


@login_required
def complaint(request, code: str):
    return _detail(request, _visible(request, code))


def _payload(action: str, form, complaint: Complaint) -> dict:
    data = form.cleaned_data if form is not None else {}
    payload = {"text": data.get("text", "")}
    if action == "answer":
        payload["files"] = data.get("files", [])
    if action == "evaluate":
        payload["satisfied"] = data.get("satisfied")
    if action == "assign":
        payload["assignee"] = data.get("assignee")
    return payload


@login_required
@require_POST
def complaint_act(request, code: str, action: str):
    complaint = _visible(request, code)
    if action not in lifecycle.ACTIONS:
        raise Http404(_("Không tìm thấy thao tác."))
    if action == "assign":
        form = AssignForm(request.POST, officials=_officials_for(complaint))
    elif action in ACTION_FORMS:
        form = ACTION_FORMS[action](request.POST, request.FILES or None)
    else:
        form = None
    if form is not None and not form.is_valid():
        return _detail(request, complaint, {action: form}, status=400)
    revision = request.POST.get("revision", "")
    try:
        services.act(
            complaint,
            action,
            actor=request.user,
            revision=int(revision) if revision.isdigit() else None,
            **_payload(action, form, complaint),
        )
    except (ValidationError, services.Conflict, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text or _("Bạn không có quyền thực hiện thao tác này."))
        return redirect("feedback:complaint", code)
    messages.success(request, _("Đã cập nhật phản ánh %(code)s.") % {"code": code})
    return redirect("feedback:complaint", code)


@login_required
def attachment(request, pk: int):
    item = Attachment.objects.filter(
        pk=pk, complaint__in=services.visible_complaints(request.user)
    ).first()
    if item is None:
        raise Http404(_("Không tìm thấy tệp."))
    return stored(item.file, item.name, inline=True)


# --- Officials ------------------------------------------------------------------------------

QUEUE_TABS = {
    "open": _("Chưa trả lời"),
    "overdue": _("Quá hạn"),
    "answered": _("Đã trả lời"),
    "all": _("Tất cả"),
}


def _flag_overdue(complaints) -> list[Complaint]:
    now = timezone.now()
    rows = list(complaints)
    for row in rows:
        row.is_overdue = row.state in lifecycle.OPEN_STATES and row.due_at < now
    return rows


@login_required
def queue(request):
    if not may(request.user, "feedback.handle"):
        raise PermissionDenied(_("Trang này dành cho cán bộ xử lý phản ánh, kiến nghị."))
    tab = request.GET.get("tab", "open")
    tab = tab if tab in QUEUE_TABS else "open"
    complaints = Complaint.objects.filter(
        unit__in=services.handling_units(request.user)
    ).select_related("unit", "assignee")
    if tab == "open":
        complaints = complaints.filter(state__in=lifecycle.OPEN_STATES).order_by("due_at")
    elif tab == "overdue":
        complaints = complaints.filter(
            state__in=lifecycle.OPEN_STATES, due_at__lt=timezone.now()
        ).order_by("due_at")
    elif tab == "answered":
        complaints = complaints.filter(state__in=[ComplaintState.ANSWERED, ComplaintState.CLOSED])
    context = {
        "tabs": [(key, str(label)) for key, label in QUEUE_TABS.items()],
        "tab": tab,
        "complaints": _flag_overdue(complaints[:200]),
    }
    return render(request, "feedback/queue.html", context)


@login_required
def report(request):
    if not may(request.user, "feedback.report"):
        raise PermissionDenied(_("Trang này dành cho lãnh đạo đơn vị."))
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": today.replace(day=1), "end": today, "by": "unit"})
    rows, title = [], ""
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        by = form.cleaned_data.get("by") or "unit"
        rows = reports.satisfaction(acting_units(request.user, "feedback.report"), start, end, by)
        title = _("Mức độ hài lòng từ %(start)s đến %(end)s") % {
            "start": vndate(start),
            "end": vndate(end),
        }
        if request.GET.get("format") == "xlsx":
            name = f"muc-do-hai-long-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
            return download(reports.satisfaction_xlsx(rows, title), XLSX, name)
    context = {"form": form, "rows": rows, "title": title, "headers": reports.report_headers()}
    return render(request, "feedback/report.html", context)


def transparency(request):
    """Public: complaints received and answered on time per unit this year; no personal data."""
    year = timezone.localdate().year
    rows = reports.transparency(year)
    return render(request, "feedback/transparency.html", {"rows": rows, "year": year})
