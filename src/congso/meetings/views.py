"""Briefing pages: calendar and list, scheduling, the meeting with its live roll call, check-in
at an endpoint, minutes, tasks and progress reports, endpoints, calendar feeds and figures.

Views translate HTTP to ``services`` calls; a refused action comes back as a Vietnamese message
on the page (never a 500), and nothing is saved.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from typing import TYPE_CHECKING

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts import permissions
from congso.accounts.services import officials
from congso.core.collation import by_vietnamese
from congso.core.downloads import PDF, download, stored
from congso.core.forms import add_service_errors
from congso.core.params import as_id
from congso.org import services as org
from congso.org.choices import LOCALITY_KINDS

from . import lifecycle, minutes_pdf, services
from .forms import (
    ConclusionForm,
    ConnectionTestForm,
    DocumentForm,
    EndpointForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    ReasonForm,
    ReportForm,
    ResponseForm,
)
from .models import Endpoint, FeedToken, Invitation, Meeting

if TYPE_CHECKING:
    from congso.org.models import Unit

WEEKDAYS = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def _visible(request, pk: int) -> Meeting:
    meeting = (
        services.visible_meetings(request.user)
        .select_related("host_unit", "chair", "secretary", "room")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404(_("Không tìm thấy cuộc họp."))
    return meeting


def _official(request) -> None:
    if not getattr(request.user, "is_official", False) and not request.user.is_superuser:
        raise PermissionDenied(_("Trang này dành cho cán bộ, công chức."))


# --- Calendar and list -----------------------------------------------------------------------


def _chosen_day(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()


def _range(view: str, day: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(first, last, previous anchor, next anchor) of the week or month holding ``day``."""
    if view == "month":
        first = day.replace(day=1)
        last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
        return first, last, first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    first = day - dt.timedelta(days=day.weekday())
    last = first + dt.timedelta(days=6)
    return first, last, first - dt.timedelta(days=7), first + dt.timedelta(days=7)


def _grid(first: dt.date, last: dt.date, meetings) -> list[list[dict]]:
    """Weeks of days (Monday first) with the meetings of each day."""
    by_day: dict[dt.date, list] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.start).date(), []).append(meeting)
    start = first - dt.timedelta(days=first.weekday())
    weeks, day = [], start
    while day <= last:
        week = []
        for _n in range(7):
            week.append(
                {"day": day, "inside": first <= day <= last, "meetings": by_day.get(day, [])}
            )
            day += dt.timedelta(days=1)
        weeks.append(week)
    return weeks


@login_required
def meeting_list(request):
    """The week or month calendar of the meetings the official may see (optionally one unit's)."""
    _official(request)
    view = "month" if request.GET.get("view") == "month" else "week"
    day = _chosen_day(request)
    first, last, previous, following = _range(view, day)
    zone = timezone.get_current_timezone()
    meetings = services.visible_meetings(request.user).filter(
        start__gte=dt.datetime.combine(first, dt.time.min, zone),
        start__lte=dt.datetime.combine(last, dt.time.max, zone),
    )
    unit_id = as_id(request.GET.get("unit"))
    if unit_id is not None:
        meetings = meetings.filter(
            Q(host_unit_id=unit_id) | Q(invitations__unit_id=unit_id)
        ).distinct()
    if request.GET.get("mine"):
        meetings = meetings.filter(Q(chair=request.user) | Q(secretary=request.user))
    meetings = list(meetings.select_related("host_unit").order_by("start"))
    context = {
        "view": view,
        "first": first,
        "last": last,
        "previous": previous.isoformat(),
        "following": following.isoformat(),
        "weeks": _grid(first, last, meetings),
        "weekdays": WEEKDAYS,
        "meetings": meetings,
        "can_schedule": bool(services.acting_unit_ids(request.user, "meetings.schedule"))
        or request.user.is_superuser,
        "units": org.units()
        .filter(pk__in=services.acting_unit_ids(request.user, "meetings.view"))
        .order_by("path"),
        "unit_id": unit_id,
    }
    return render(request, "meetings/list.html", context)


# --- Scheduling ------------------------------------------------------------------------------


def _form_choices(user) -> dict:
    ids = services.acting_unit_ids(user, "meetings.schedule")
    hosts = org.units().filter(pk__in=ids, kind__in=LOCALITY_KINDS)
    if user.is_superuser:
        hosts = org.units().filter(kind__in=LOCALITY_KINDS)
    invitable = services.units_to_invite(user) if not user.is_superuser else org.units().active()
    people = (
        officials()
        .filter(is_active=True)
        .filter(Q(positions__unit__in=invitable) | Q(positions__unit__in=hosts))
        .distinct()
        .order_by(by_vietnamese("full_name"))
    )
    return {
        "host_units": hosts.order_by("path"),
        "people": people,
        "endpoints": Endpoint.objects.filter(unit__in=hosts).select_related("unit"),
        "invitable": invitable.exclude(pk__in=hosts.values("pk")),
    }


def _create_from_form(request, form) -> list[Meeting]:
    data = form.cleaned_data
    units = list(data["units"])
    if data["all_communes"]:
        picked = {u.pk for u in units}
        units += [u for u in org.communes_of(data["host_unit"]) if u.pk not in picked]
    fields = {
        "actor": request.user,
        "host_unit": data["host_unit"],
        "title": data["title"],
        "chair": data["chair"],
        "secretary": data["secretary"],
        "room": data["room"],
        "video_provider": data["video_provider"],
        "units": units,
        "agenda": data["agenda_items"],
        "accept_conflicts": data["accept_conflicts"],
    }
    if data["weeks"] > 1:
        created, notes = services.schedule_recurring(
            weeks=data["weeks"], start=data["start"], end=data["end"], **fields
        )
        for note in notes:
            messages.warning(request, note)
        return created
    meeting = services.create_meeting(start=data["start"], end=data["end"], **fields)
    if "publish" in request.POST:
        services.transition(meeting, actor=request.user, action="schedule")
    return [meeting]


@login_required
def create(request):
    _official(request)
    choices = _form_choices(request.user)
    if not choices["host_units"].exists():
        raise PermissionDenied(_("Bạn không có quyền xếp lịch họp."))
    form = MeetingForm(request.POST or None, initial={"weeks": 1}, **choices)
    conflicts = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = _create_from_form(request, form)
            except ValidationError as error:
                if hasattr(error, "error_dict") and "conflicts" in error.error_dict:
                    conflicts = [m for e in error.error_dict.pop("conflicts") for m in e.messages]
                add_service_errors(form, error)
                if conflicts and not form.errors:
                    form.add_error("accept_conflicts", _("Lịch bị trùng; xem danh sách ở trên."))
            else:
                messages.success(
                    request,
                    _("Đã tạo %(n)s cuộc họp.") % {"n": len(created)}
                    if len(created) > 1
                    else _("Đã tạo cuộc họp “%(t)s”.") % {"t": created[0].title},
                )
                return redirect("meetings:detail", created[0].pk)
        status = 400
    return render(
        request, "meetings/form.html", {"form": form, "conflicts": conflicts}, status=status
    )


@login_required
def edit(request, pk: int):
    meeting = _visible(request, pk)
    if not services.may_manage(request.user, meeting):
        raise PermissionDenied
    choices = _form_choices(request.user)["people"]
    people = officials().filter(Q(pk__in=choices.values("pk")) | Q(pk=meeting.chair_id))
    local_start = timezone.localtime(meeting.start)
    initial = {
        "title": meeting.title,
        "chair": meeting.chair,
        "day": local_start.date(),
        "start_time": local_start.time(),
        "end_time": timezone.localtime(meeting.end).time(),
    }
    form = MeetingEditForm(
        request.POST or None, initial=initial, people=people.order_by(by_vietnamese("full_name"))
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_meeting(
                    meeting,
                    actor=request.user,
                    accept_conflicts=data["accept_conflicts"],
                    title=data["title"],
                    chair=data["chair"],
                    start=data["start"],
                    end=data["end"],
                )
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Đã lưu thay đổi cuộc họp."))
                return redirect("meetings:detail", meeting.pk)
        status = 400
    return render(request, "meetings/edit.html", {"form": form, "meeting": meeting}, status=status)


# --- The meeting -----------------------------------------------------------------------------


def _my_invitations(user, meeting):
    ids = services.acting_unit_ids(user, "meetings.respond")
    return meeting.invitations.filter(unit_id__in=ids).select_related("unit")


@login_required
def detail(request, pk: int):
    meeting = _visible(request, pk)
    manager = services.may_manage(request.user, meeting)
    context = {
        "meeting": meeting,
        "manager": manager,
        "actions": [
            (a, lifecycle.MEETING_ACTIONS[a])
            for a in lifecycle.allowed("meeting", meeting.state)
            if a != "approve_minutes"
        ]
        if manager
        else [],
        "agenda": meeting.agenda.all(),
        "roll": services.roll_call(meeting),
        "mine": list(_my_invitations(request.user, meeting)),
        "response_form": ResponseForm(),
        "conclusions": meeting.conclusions.prefetch_related("tasks__unit"),
        "conclusion_form": ConclusionForm(
            units=org.units().filter(pk__in=meeting.invitations.values("unit_id"))
        )
        if manager
        else None,
        "minutes": getattr(meeting, "minutes", None),
        "documents": meeting.documents.all(),
        "document_form": DocumentForm() if manager else None,
        "live": meeting.state in services.LIVE_STATES,
        "join_url": reverse("meetings:join", args=[meeting.pk]),
    }
    return render(request, "meetings/detail.html", context)


@login_required
def roll_call(request, pk: int):
    """The roll-call fragment the detail page polls while the meeting is live."""
    meeting = _visible(request, pk)
    return render(
        request,
        "meetings/_roll_call.html",
        {"meeting": meeting, "roll": services.roll_call(meeting)},
    )


@login_required
@require_POST
def transition(request, pk: int):
    meeting = _visible(request, pk)
    action = request.POST.get("action", "")
    try:
        outcome = services.advance(meeting, actor=request.user, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    else:
        messages.success(request, outcome.message)
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def respond(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.select_related("meeting"), pk=pk)
    _visible(request, invitation.meeting_id)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn cách trả lời giấy mời."))
    else:
        try:
            services.respond(invitation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(_errors(error)))
        else:
            messages.success(request, _("Đã ghi nhận trả lời giấy mời."))
    return redirect("meetings:detail", invitation.meeting_id)


@login_required
@require_POST
def check_in(request, pk: int):
    """An official checks their unit in from the meeting page."""
    meeting = _visible(request, pk)
    unit = get_object_or_404(org.units(), pk=request.POST.get("unit") or 0)
    try:
        attendance = services.check_in(meeting, unit, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    else:
        messages.success(
            request,
            _("Đã điểm danh %(u)s: %(s)s.") % {"u": unit, "s": attendance.get_status_display()},
        )
    return redirect("meetings:detail", meeting.pk)


@login_required
def join(request, pk: int):
    """Mint the provider's link for this official now and send the browser there."""
    meeting = _visible(request, pk)
    try:
        url = services.join_url(meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
        return redirect("meetings:detail", meeting.pk)
    return redirect(url)


# --- Endpoints -------------------------------------------------------------------------------


def endpoint_check_in(request, token: str):
    """The endpoint's own page (its hall screen or the QR code): no login, the secret link is
    the proof. Lists the meetings open for check-in and checks the unit in."""
    endpoint = services.endpoint_by_token(token)
    if endpoint is None:
        raise Http404(_("Liên kết điểm danh không hợp lệ."))
    meetings = list(services.meetings_to_check_in(endpoint.unit))
    errors = []
    if request.method == "POST":
        meeting = next((m for m in meetings if str(m.pk) == request.POST.get("meeting")), None)
        if meeting is None:
            errors.append(_("Không có cuộc họp nào đang mở điểm danh cho điểm cầu này."))
        else:
            try:
                attendance = services.check_in(meeting, endpoint.unit)
            except ValidationError as error:
                errors += _errors(error)
            else:
                messages.success(
                    request,
                    _("Đã điểm danh %(u)s lúc %(t)s: %(s)s.")
                    % {
                        "u": endpoint.unit,
                        "t": timezone.localtime(attendance.checked_in_at).strftime("%H:%M"),
                        "s": attendance.get_status_display(),
                    },
                )
                return redirect("meetings:endpoint_check_in", token)
    attended = {a.meeting_id: a for m in meetings for a in m.attendance.filter(unit=endpoint.unit)}
    rows = [(m, attended.get(m.pk)) for m in meetings]
    links = {}
    for meeting, _a in rows:
        try:
            links[meeting.pk] = services.join_url(meeting, endpoint=endpoint)
        except ValidationError:
            links[meeting.pk] = ""
    context = {
        "endpoint": endpoint,
        "rows": [(m, a, links[m.pk]) for m, a in rows],
        "errors": errors,
    }
    return render(request, "meetings/check_in.html", context, status=400 if errors else 200)


def _endpoint_for(request, unit_pk: int) -> tuple[Unit, Endpoint | None]:
    unit = get_object_or_404(org.units(), pk=unit_pk)
    if not services.may(request.user, "meetings.endpoint", unit) and not services.may(
        request.user, "meetings.view", unit
    ):
        raise PermissionDenied
    return unit, Endpoint.objects.filter(unit=unit).first()


@login_required
def endpoints(request):
    """Which communes have a working endpoint (the district's goal is 100 %)."""
    _official(request)
    ids = services.acting_unit_ids(request.user, "meetings.view")
    units = org.units().active().filter(pk__in=ids, kind__in=LOCALITY_KINDS).order_by("path")
    if request.user.is_superuser:
        units = org.units().active().filter(kind__in=LOCALITY_KINDS).order_by("path")
    coverage = services.endpoint_coverage(units)
    return render(request, "meetings/endpoints.html", {"coverage": coverage})


@login_required
def endpoint_edit(request, unit_pk: int):
    unit, endpoint = _endpoint_for(request, unit_pk)
    if not services.may(request.user, "meetings.endpoint", unit):
        raise PermissionDenied
    form = EndpointForm(request.POST or None, instance=endpoint)
    test_form = ConnectionTestForm()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_endpoint(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Đã lưu điểm cầu của %(u)s.") % {"u": unit})
                return redirect("meetings:endpoint", unit.pk)
        status = 400
    checkin_url = (
        request.build_absolute_uri(
            reverse("meetings:endpoint_check_in", args=[endpoint.checkin_token])
        )
        if endpoint
        else ""
    )
    context = {
        "unit": unit,
        "endpoint": endpoint,
        "form": form,
        "test_form": test_form,
        "checkin_url": checkin_url,
    }
    return render(request, "meetings/endpoint.html", context, status=status)


@login_required
@require_POST
def endpoint_test(request, unit_pk: int):
    unit, endpoint = _endpoint_for(request, unit_pk)
    if endpoint is None:
        raise Http404
    form = ConnectionTestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn kết quả kiểm tra."))
    else:
        try:
            services.record_connection_test(endpoint, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(_errors(error)))
        else:
            messages.success(request, _("Đã ghi kết quả kiểm tra kết nối."))
    return redirect("meetings:endpoint", unit.pk)


@login_required
def endpoint_qr(request, unit_pk: int):
    """The QR code of the endpoint's check-in link, to show on the hall's screen."""
    unit, endpoint = _endpoint_for(request, unit_pk)
    if endpoint is None:
        raise Http404
    url = request.build_absolute_uri(
        reverse("meetings:endpoint_check_in", args=[endpoint.checkin_token])
    )
    svg = segno.make(url, error="m").svg_inline(scale=6, title=_("Mã QR điểm danh"))
    return HttpResponse(svg, content_type="image/svg+xml")


# --- Minutes and conclusions -----------------------------------------------------------------


@login_required
def minutes(request, pk: int):
    meeting = _visible(request, pk)
    current = getattr(meeting, "minutes", None)
    form = MinutesForm(request.POST or None, initial={"text": current.text if current else ""})
    may_approve = meeting.chair_id == request.user.pk or permissions.acts_for(
        request.user, "meetings.approve", meeting.host_unit
    )
    status = 200
    if request.method == "POST":
        try:
            if "approve" in request.POST:
                services.approve_minutes(meeting, actor=request.user)
                messages.success(request, _("Đã duyệt biên bản."))
                return redirect("meetings:detail", meeting.pk)
            if form.is_valid():
                services.save_minutes(meeting, actor=request.user, text=form.cleaned_data["text"])
                messages.success(request, _("Đã lưu dự thảo biên bản."))
                return redirect("meetings:minutes", meeting.pk)
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
        status = 400
    context = {"meeting": meeting, "form": form, "current": current, "may_approve": may_approve}
    return render(request, "meetings/minutes.html", context, status=status)


@login_required
def minutes_file(request, pk: int):
    """The approved minutes as issued: the signed original, else the unsigned PDF."""
    meeting = _visible(request, pk)
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or not minutes.is_approved:
        raise Http404(_("Biên bản chưa được duyệt."))
    if minutes.signed_file_id:
        return stored(minutes.signed_file.file, f"bien-ban-{meeting.pk}-da-ky.pdf")
    if minutes.pdf:
        return stored(minutes.pdf, f"bien-ban-{meeting.pk}.pdf")
    return download(minutes_pdf.render(minutes), PDF, f"bien-ban-{meeting.pk}.pdf")


@login_required
@require_POST
def add_documents(request, pk: int):
    meeting = _visible(request, pk)
    form = DocumentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("meetings:detail", meeting.pk)
    try:
        added = services.attach_documents(
            meeting, actor=request.user, files=request.FILES.getlist("files"), **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    else:
        messages.success(request, _("Đã thêm %(n)s tài liệu.") % {"n": len(added)})
    return redirect("meetings:detail", meeting.pk)


@login_required
def document_file(request, pk: int, document_pk: int):
    """A meeting document, for the host and the invited units only."""
    meeting = _visible(request, pk)
    document = meeting.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404(_("Không tìm thấy tài liệu."))
    extension = document.file.name.rsplit(".", 1)[-1]
    return stored(document.file, f"tai-lieu-{document.pk}.{extension}")


@login_required
@require_POST
def add_conclusion(request, pk: int):
    meeting = _visible(request, pk)
    form = ConclusionForm(
        request.POST, units=org.units().filter(pk__in=meeting.invitations.values("unit_id"))
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("meetings:detail", meeting.pk)
    try:
        _conclusion, notes = services.add_conclusion(
            meeting, actor=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    else:
        messages.success(request, _("Đã giao nhiệm vụ."))
        for note in notes:
            messages.warning(request, note)
    return redirect("meetings:detail", meeting.pk)


# --- Tasks -----------------------------------------------------------------------------------


@login_required
def tasks(request):
    _official(request)
    queryset = services.visible_tasks(request.user).select_related("unit", "conclusion__meeting")
    state = request.GET.get("state", "")
    if state in lifecycle.TaskState.values:
        queryset = queryset.filter(state=state)
    context = {"tasks": queryset[:300], "states": lifecycle.TaskState.choices, "state": state}
    return render(request, "meetings/tasks.html", context)


@login_required
def task_detail(request, pk: int):
    task = get_object_or_404(
        services.visible_tasks(request.user).select_related("unit", "conclusion__meeting"), pk=pk
    )
    form = ReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_progress(
                    task,
                    actor=request.user,
                    text=data["text"],
                    evidence=data["evidence"],
                    complete=data["complete"],
                )
            except (ValidationError, PermissionDenied) as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, _("Đã gửi báo cáo."))
                return redirect("meetings:task", task.pk)
        status = 400
    context = {
        "task": task,
        "form": form,
        "reports": task.reports.select_related("author"),
        "may_report": services.may(request.user, "meetings.respond", task.unit),
        "may_reopen": services.may_manage(request.user, task.conclusion.meeting)
        and task.state == lifecycle.TaskState.DONE,
        "reason_form": ReasonForm(),
    }
    return render(request, "meetings/task.html", context, status=status)


@login_required
@require_POST
def task_reopen(request, pk: int):
    task = get_object_or_404(services.visible_tasks(request.user), pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Hãy ghi lý do yêu cầu làm tiếp."))
        services.reopen_task(task, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    else:
        messages.success(request, _("Đã yêu cầu đơn vị làm tiếp."))
    return redirect("meetings:task", task.pk)


# --- Figures and calendar feeds --------------------------------------------------------------


@login_required
def report(request):
    """Attendance per unit and conclusions done on time per unit, over the chosen period."""
    _official(request)
    today = timezone.localdate()
    since = today - dt.timedelta(days=365)
    meetings = services.visible_meetings(request.user).filter(start__date__gte=since)
    context = {
        "since": since,
        "attendance": services.attendance_by_unit(meetings),
        "tasks": services.tasks_by_unit(services.visible_tasks(request.user)),
        "meeting_count": meetings.count(),
    }
    return render(request, "meetings/report.html", context)


@login_required
def feeds(request):
    """The secret calendar-feed URLs of the official and of their units."""
    _official(request)
    if request.method == "POST":
        token = get_object_or_404(FeedToken, pk=request.POST.get("token") or 0)
        if token.user_id != request.user.pk and not (
            token.unit_id and services.may(request.user, "meetings.endpoint", token.unit)
        ):
            raise PermissionDenied
        services.renew_feed_token(token)
        messages.success(request, _("Đã đổi địa chỉ lịch; địa chỉ cũ không dùng được nữa."))
        return redirect("meetings:feeds")
    tokens = [(_("Lịch họp của tôi"), services.feed_token(user=request.user))]
    units = (
        org.units()
        .filter(
            pk__in=services.acting_unit_ids(request.user, "meetings.respond"),
            kind__in=LOCALITY_KINDS,
        )
        .order_by("path")[:50]
    )
    tokens += [(str(unit), services.feed_token(unit=unit)) for unit in units]
    rows = [
        (label, token, request.build_absolute_uri(reverse("meetings:feed", args=[token.token])))
        for label, token in tokens
    ]
    return render(request, "meetings/feeds.html", {"rows": rows})


def feed(request, token: str):
    found = FeedToken.objects.select_related("user", "unit").filter(token=token).first()
    if found is None or (found.user_id and not found.user.is_active):
        raise Http404(_("Địa chỉ lịch không hợp lệ."))
    return download(
        services.feed_ics(found), "text/calendar; charset=utf-8", "lich-hop.ics", inline=True
    )
