"""Downloads of the printed forms, the dossier register and the period report.

A form is served only to a user who may see the dossier (the same 404 whether the dossier does
not exist or is out of reach); a form that does not apply to the dossier gets a Vietnamese page
saying why. The register and the report are limited to the units in the user's scope.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.accounts.permissions import acting_units
from congso.core import exports, formatting
from congso.core.downloads import PDF, download
from congso.core.forms import UnitPeriodForm, bind_period_form, period_slug

from . import printing, reports, services


@login_required
def form_pdf(request, code: str, form: str):
    """Form ``form`` (01–07) of the dossier ``code`` as a PDF."""
    dossier = (
        services.visible_dossiers(request.user)
        .select_related("procedure", "version", "receiving_unit")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    try:
        if form == "07":
            data = printing.render_form(dossier, form)
        else:
            data = printing.sealed_form(dossier, form)
    except printing.FormNotApplicable as exc:
        return render(
            request,
            "core/error.html",
            {"title": _("Không in được mẫu %(form)s") % {"form": form}, "message": str(exc)},
            status=404,
        )
    return download(data, PDF, f"{dossier.code}-mau-{form}.pdf", inline=True)


class ReportForm(UnitPeriodForm):
    by = forms.ChoiceField(
        label=gettext_lazy("Tổng hợp theo"),
        choices=[("unit", gettext_lazy("Đơn vị")), ("procedure", gettext_lazy("Thủ tục"))],
        initial="unit",
        required=False,
    )


def _scoped_form(request, form_class, action: str):
    """The unit and period form over the units where the user may do ``action``; refused when
    there is none (the form's own list of units answers, no query of its own)."""
    form = bind_period_form(request, form_class, acting_units(request.user, action))
    if not form.fields["unit"].rows():
        raise PermissionDenied(_("Bạn không có quyền xem sổ theo dõi, báo cáo của đơn vị nào."))
    return form


#: Dossiers per page of the register on screen.
REGISTER_PAGE = 50


def _in_background(request, kind: str, params: dict, title: str, filename: str):
    """Queue the export (``core.exports``: built by Celery, rows streamed) and show its page,
    where the official watches it grow and downloads it when ready."""
    export = exports.start(request.user, kind, params, title=title, filename=filename)
    return redirect("exports:export", pk=export.pk)


@login_required
def register(request):
    """Form 07 for a unit and period: the choice on screen, then PDF (``format=pdf``) or Excel
    (``format=xlsx``)."""
    form = _scoped_form(request, UnitPeriodForm, "onestop.view")
    output = request.GET.get("format", "")
    if form.is_valid() and output in ("pdf", "xlsx"):
        unit, period = form.cleaned_data["unit"], form.period
        title = _("Sổ theo dõi hồ sơ — %(unit)s, %(start)s–%(end)s") % {
            "unit": unit.name,
            "start": formatting.date(period.start),
            "end": formatting.date(period.end),
        }
        return _in_background(
            request,
            f"onestop.register_{output}",
            printing.export_params(unit, period),
            title,
            f"so-theo-doi-{unit.pk}-{period_slug(period)}.{output}",
        )
    context = {"form": form, "headings": printing.REGISTER_HEADINGS}
    if form.is_valid():  # on screen: one page of the register (a district-year is 100,000 rows)
        unit, period = form.cleaned_data["unit"], form.period
        page = Paginator(printing.register_dossiers(unit, period), REGISTER_PAGE).get_page(
            request.GET.get("page")
        )
        rows = printing.register_rows(unit, period, page.object_list, first=page.start_index())
        context.update(page=page, rows=[row.cells() for row in rows])
    status = 400 if form.errors else 200
    return render(request, "onestop/report_register.html", context, status=status)


@login_required
def report(request):
    """The §5 period report on screen (an accessible table) or as Excel (``format=xlsx``)."""
    form = _scoped_form(request, ReportForm, "onestop.report")
    result = None
    if form.is_valid():
        result = reports.period_report(
            form.cleaned_data["unit"], form.period, by=form.cleaned_data.get("by") or "unit"
        )
        if request.GET.get("format") == "xlsx":
            return _in_background(
                request,
                "onestop.report_xlsx",
                printing.export_params(result.unit, result.period, by=result.by),
                _("Báo cáo tình hình giải quyết hồ sơ — %(unit)s") % {"unit": result.unit.name},
                f"bao-cao-{result.unit.pk}-{result.by}-{period_slug(result.period)}.xlsx",
            )
    return render(
        request,
        "onestop/report.html",
        {"form": form, "report": result, "columns": reports.COLUMNS},
        status=400 if form.errors else 200,
    )
