from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.permissions import may
from congso.core.formatting import date as vndate

from . import services
from .deadlines import DayKind
from .forms import ExceptionForm, YearForm
from .grid import KIND_LABELS, WEEKDAY_HEADERS, notable_days, year_grid
from .models import CalendarException


def _chosen_year(request) -> tuple[int, YearForm]:
    """``?year=`` when valid, otherwise this year (the form carries the error to show)."""
    form = YearForm(request.GET if "year" in request.GET else None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["year"], form
    return timezone.localdate().year, form


def _year_context(year: int, year_form: YearForm) -> dict:
    calendar = services.calendar_for()
    exceptions = list(services.exceptions_in(year))
    notes = {item.date: item.reason for item in exceptions}
    years = range(max(year - 5, services.FIRST_YEAR), min(year + 5, services.LAST_YEAR) + 1)
    return {
        "year": year,
        "year_form": year_form,
        "years": years,
        "previous_year": year - 1 if year > services.FIRST_YEAR else None,
        "next_year": year + 1 if year < services.LAST_YEAR else None,
        "months": year_grid(calendar, year, notes),
        "notable": notable_days(calendar, year, notes),
        "exceptions": exceptions,
        "weekday_headers": WEEKDAY_HEADERS,
        "legend": [(kind.value, KIND_LABELS[kind]) for kind in DayKind],
    }


def _require_manager(user) -> None:
    if not may(user, "worktime.manage"):
        raise PermissionDenied


def year(request):
    """The working calendar of a year, for anyone: holidays, extra days off, swapped days."""
    chosen, year_form = _chosen_year(request)
    return render(request, "worktime/year.html", _year_context(chosen, year_form))


@login_required
def manage(request):
    """The year's grid and its exceptions, with the form to add one (system administrators)."""
    _require_manager(request.user)
    chosen, year_form = _chosen_year(request)
    form = ExceptionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                added = services.add_exception(**form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Đã thêm ngày %(day)s: %(kind)s.")
                    % {"day": vndate(added.date), "kind": added.get_kind_display()},
                )
                return redirect(f"{reverse('worktime:manage')}?year={added.date.year}")
        status = 400
        if form.cleaned_data.get("date"):
            chosen = form.cleaned_data["date"].year
    context = _year_context(chosen, year_form) | {
        "form": form,
        "confirmation": services.confirmation_for(chosen),
        "package_version": services.package_version(),
    }
    return render(request, "worktime/manage.html", context, status=status)


@login_required
@require_POST
def confirm_year(request, year: int):
    """The administrator confirms the year's table as shown (or after correcting it)."""
    _require_manager(request.user)
    try:
        services.confirm_year(year, request.POST.get("note", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("worktime:manage"))
    messages.success(request, _("Đã xác nhận lịch năm %(year)s.") % {"year": year})
    return redirect(f"{reverse('worktime:manage')}?year={year}")


@login_required
@require_POST
def delete_exception(request, pk: int):
    _require_manager(request.user)
    exception = get_object_or_404(CalendarException, pk=pk)
    day = exception.date
    try:
        services.remove_exception(exception)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã xoá ngày ngoại lệ %(day)s.") % {"day": vndate(day)})
    return redirect(f"{reverse('worktime:manage')}?year={day.year}")
