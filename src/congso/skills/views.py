"""Pages of the digital-skills programme.

The public section (no login) offers the six lessons and their quizzes; a passed quiz counts as a
completion. The officials' pages (scoped by unit) keep teams, programmes, sessions and the
coverage report. A refused or invalid action comes back as a Vietnamese message, nothing saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.permissions import may
from congso.core.collation import by_vietnamese
from congso.core.downloads import XLSX, download
from congso.core.forms import add_service_errors
from congso.org import services as org
from congso.org.choices import COMMUNE_LEVEL_KINDS

from . import lessons, reports, services
from .forms import MemberForm, PopulationForm, ProgrammeForm, SessionForm, TeamForm
from .models import Session, Team, TeamMember, Topic

# --- Public lessons and quizzes ---------------------------------------------------------------


def _lesson(topic: str) -> lessons.Lesson:
    if topic not in Topic.values:
        raise Http404(_("Không có bài học này."))
    return lessons.lesson(topic)


def _learner(request) -> dict:
    if request.user.is_authenticated:
        return {"user": request.user}
    return {"session_key": request.session.session_key or ""}


def index(request):
    done = services.completed_topics(**_learner(request))
    items = [(item, item.topic in done) for item in lessons.all_lessons()]
    return render(request, "skills/index.html", {"items": items, "done": len(done)})


def lesson_page(request, topic: str):
    lesson = _lesson(topic)
    try:
        number = int(request.GET.get("trang", 1))
    except ValueError:
        number = 1
    number = min(max(number, 1), len(lesson.screens))
    context = {
        "lesson": lesson,
        "screen": lesson.screens[number - 1],
        "number": number,
        "count": len(lesson.screens),
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < len(lesson.screens) else None,
    }
    return render(request, "skills/lesson.html", context)


def _communes():
    return org.units().active().filter(kind__in=COMMUNE_LEVEL_KINDS).order_by(by_vietnamese("name"))


def quiz(request, topic: str):
    lesson = _lesson(topic)
    questions = [(f"q{n}", item) for n, item in enumerate(lesson.quiz)]
    context = {"lesson": lesson, "questions": questions, "communes": _communes()}
    if request.method != "POST":
        return render(request, "skills/quiz.html", context)
    result = lessons.score(lesson.quiz, request.POST)
    unit = _communes().filter(pk=_int(request.POST.get("unit"))).first()
    if not request.user.is_authenticated and not request.session.session_key:
        request.session.save()
    completion = services.record_completion(
        actor=request.user if request.user.is_authenticated else None,
        topic=topic,
        result=result,
        session_key=request.session.session_key or "",
        unit=unit,
    )
    context |= {"result": result, "completion": completion}
    return render(request, "skills/result.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Officials --------------------------------------------------------------------------------


def _official(request) -> None:
    if not may(request.user, services.VIEW):
        raise PermissionDenied(_("Trang này dành cho cán bộ phụ trách kỹ năng số."))


def _year(request) -> int:
    year = _int(request.GET.get("nam"))
    today = timezone.localdate().year
    return year if year and 2000 <= year <= today + 1 else today


@login_required
def coverage(request):
    _official(request)
    year = _year(request)
    rows = reports.coverage(services.units_for(request.user, services.VIEW), year)
    if request.GET.get("dinh-dang") == "xlsx":
        return download(reports.coverage_xlsx(rows, year), XLSX, f"do-phu-ky-nang-so-{year}.xlsx")
    form = PopulationForm(units=reports.communes(services.units_for(request.user)))
    form.initial["year"] = year
    context = {"rows": rows, "year": year, "topics": Topic.labels, "form": form}
    return render(request, "skills/coverage.html", context)


@login_required
@require_POST
def population(request):
    _official(request)
    form = PopulationForm(request.POST, units=reports.communes(services.units_for(request.user)))
    if form.is_valid():
        try:
            services.set_adult_population(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu dân số từ 15 tuổi."))
            return redirect(f"{reverse('skills:coverage')}?nam={form.cleaned_data['year']}")
    year = _year(request)
    rows = reports.coverage(services.units_for(request.user, services.VIEW), year)
    context = {"rows": rows, "year": year, "topics": Topic.labels, "form": form}
    return render(request, "skills/coverage.html", context, status=400)


@login_required
def teams(request):
    _official(request)
    units = reports.communes(services.units_for(request.user))
    form = TeamForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.create_team(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thành lập %(t)s.") % {"t": team})
            return redirect("skills:team", team.pk)
    listed = services.visible(Team.objects.select_related("unit"), request.user)
    status = 400 if request.method == "POST" else 200
    context = {"teams": listed, "form": form if units.exists() else None}
    return render(request, "skills/teams.html", context, status=status)


def _visible_or_404(queryset, request, pk: int, unit_field: str = "unit"):
    found = services.visible(queryset, request.user, unit_field).filter(pk=pk).first()
    if found is None:
        raise Http404(_("Không tìm thấy."))
    return found


@login_required
def team(request, pk: int):
    _official(request)
    team = _visible_or_404(Team.objects.select_related("unit"), request, pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Đã thêm thành viên."))
            return redirect("skills:team", team.pk)
    status = 400 if request.method == "POST" else 200
    context = {"team": team, "members": team.members.all(), "form": form}
    return render(request, "skills/team.html", context, status=status)


@login_required
@require_POST
def member_remove(request, pk: int):
    _official(request)
    member = _visible_or_404(TeamMember.objects.select_related("team"), request, pk, "team__unit")
    team_pk = member.team_id
    try:
        services.remove_member(actor=request.user, member=member)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    return redirect("skills:team", team_pk)


@login_required
def programmes(request):
    _official(request)
    units = services.units_for(request.user)
    form = ProgrammeForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã tạo chương trình."))
            return redirect("skills:programme", programme.pk)
    listed = services.programmes_for(request.user).select_related("unit")
    status = 400 if request.method == "POST" else 200
    context = {"programmes": listed, "form": form if units.exists() else None}
    return render(request, "skills/programmes.html", context, status=status)


@login_required
def programme(request, pk: int):
    _official(request)
    programme = services.programmes_for(request.user).select_related("unit").filter(pk=pk).first()
    if programme is None:
        raise Http404(_("Không tìm thấy."))
    sessions = services.visible(programme.sessions.select_related("unit"), request.user)
    total = sum(session.attendance for session in sessions)
    context = {"programme": programme, "sessions": sessions, "total": total}
    return render(request, "skills/programme.html", context)


@login_required
def session_new(request):
    _official(request)
    units = services.units_for(request.user)
    programmes = services.programmes_for(request.user)
    form = SessionForm(
        request.POST or None,
        units=reports.communes(units),
        programmes=programmes,
        initial={"programme": _int(request.GET.get("programme")), "date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.record_session(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as refused:
            form.add_error("unit", str(refused))
        else:
            messages.success(request, _("Đã ghi nhận buổi tập huấn."))
            return redirect("skills:session", session.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "skills/session_form.html", {"form": form}, status=status)


@login_required
def session(request, pk: int):
    _official(request)
    session = _visible_or_404(Session.objects.select_related("programme", "unit"), request, pk)
    context = {"session": session, "attendees": session.attendees.all()}
    return render(request, "skills/session.html", context)
