"""Downloads of the printed forms, the dossier register and the period report.

A form is served only to a user who may see the dossier (the same 404 whether the dossier does
not exist or is out of reach); a form that does not apply to the dossier gets a Vietnamese page
saying why. The register and the report are limited to the units in the user's scope.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.accounts.permissions import acting_units
from congso.core.downloads import PDF, XLSX, download

from . import printing, reports, services
from .reports import Period

DATE_FORMAT = "%d/%m/%Y"
#: The longest period one request may cover (a few years), so nobody asks for a century.
MAX_DAYS = 3 * 366


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
        data = printing.render_form(dossier, form)
    except printing.FormNotApplicable as exc:
        return render(
            request,
            "core/error.html",
            {"title": _("Không in được mẫu %(form)s") % {"form": form}, "message": str(exc)},
            status=404,
        )
    return download(data, PDF, f"{dossier.code}-mau-{form}.pdf", inline=True)


class PeriodForm(forms.Form):
    """Unit and period (dd/mm/yyyy) of a register or a report, the unit limited to ``units``."""

    unit = forms.ModelChoiceField(label=gettext_lazy("Đơn vị"), queryset=None)
    start = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        input_formats=[DATE_FORMAT],
        help_text=gettext_lazy("dd/mm/yyyy"),
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"inputmode": "numeric"}),
        error_messages={"invalid": gettext_lazy("Ngày phải có dạng dd/mm/yyyy.")},
    )
    end = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        input_formats=[DATE_FORMAT],
        help_text=gettext_lazy("dd/mm/yyyy"),
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"inputmode": "numeric"}),
        error_messages={"invalid": gettext_lazy("Ngày phải có dạng dd/mm/yyyy.")},
    )

    def __init__(self, data, *, units, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Đơn vị không có hoặc nằm ngoài phạm vi của bạn."
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Kỳ báo cáo dài tối đa 3 năm."))
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])


class ReportForm(PeriodForm):
    by = forms.ChoiceField(
        label=gettext_lazy("Tổng hợp theo"),
        choices=[("unit", gettext_lazy("Đơn vị")), ("procedure", gettext_lazy("Thủ tục"))],
        initial="unit",
        required=False,
    )


def _initial(units) -> dict:
    today = timezone.localdate()
    first = units.order_by("path").first()
    return {
        "unit": first.pk if first else "",
        "start": today.replace(day=1).strftime(DATE_FORMAT),
        "end": today.strftime(DATE_FORMAT),
    }


def bind_period_form(request, form_class, units):
    """The form bound to the query string, or to this month when the page is first opened."""
    if "start" in request.GET or "unit" in request.GET:
        return form_class(request.GET, units=units)
    return form_class(_initial(units) | {"by": "unit"}, units=units)


def _scope(user, action: str):
    units = acting_units(user, action)
    if not units.exists():
        raise PermissionDenied(_("Bạn không có quyền xem sổ theo dõi, báo cáo của đơn vị nào."))
    return units


def period_slug(period: Period) -> str:
    return f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"


@login_required
def register(request):
    """Form 07 for a unit and period: the choice on screen, then PDF (``format=pdf``) or Excel
    (``format=xlsx``)."""
    form = bind_period_form(request, PeriodForm, _scope(request.user, "onestop.view"))
    output = request.GET.get("format", "")
    if form.is_valid() and output in ("pdf", "xlsx"):
        unit, period = form.cleaned_data["unit"], form.period
        name = f"so-theo-doi-{unit.pk}-{period_slug(period)}"
        if output == "pdf":
            data = printing.render_register(unit, period)
            return download(data, PDF, f"{name}.pdf", inline=True)
        return download(printing.register_xlsx(unit, period), XLSX, f"{name}.xlsx")
    status = 400 if form.errors else 200
    return render(request, "onestop/report_register.html", {"form": form}, status=status)


@login_required
def report(request):
    """The §5 period report on screen (an accessible table) or as Excel (``format=xlsx``)."""
    form = bind_period_form(request, ReportForm, _scope(request.user, "onestop.report"))
    result = None
    if form.is_valid():
        result = reports.period_report(
            form.cleaned_data["unit"], form.period, by=form.cleaned_data.get("by") or "unit"
        )
        if request.GET.get("format") == "xlsx":
            name = f"bao-cao-{result.unit.pk}-{result.by}-{period_slug(result.period)}.xlsx"
            return download(printing.report_xlsx(result), XLSX, name)
    return render(
        request,
        "onestop/report.html",
        {"form": form, "report": result, "columns": reports.COLUMNS},
        status=400 if form.errors else 200,
    )
