"""Dashboard pages for leaders and unit administrators: the overview of a unit (and its
subtree) for a period, the per-procedure drill-down, and the Excel and PDF exports of the same
numbers. Officials see only the units their positions reach (``dashboard.view``); another unit
is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from congso.accounts.permissions import acting_units, may
from congso.core.downloads import PDF, XLSX, download

from . import board, charts, exports
from .forms import PeriodForm
from .indicators import BY_KEY

ACTION = "dashboard.view"


def _form(request) -> PeriodForm:
    if not may(request.user, ACTION):
        raise PermissionDenied
    units = acting_units(request.user, ACTION)
    data = request.GET.copy()
    if not data.get("unit"):
        top = units.order_by("path").first()
        if top is None:
            raise Http404
        data["unit"] = str(top.pk)
    return PeriodForm(data, units)


def _selected(request):
    """(form, unit, period) or (form, None, None) when the selection is invalid."""
    form = _form(request)
    if not form.is_valid():
        if "unit" in form.errors and request.GET.get("unit"):
            raise Http404(_("Không tìm thấy đơn vị."))
        return form, None, None
    return form, form.cleaned_data["unit"], form.cleaned_data["period"]


def chart_context(result: board.Board) -> dict:
    headline = [(str(v.indicator.label), v.value) for v in result.headline]
    months = [row.label for row in result.trend]
    return {
        "headline_chart": charts.bars(_("Các chỉ tiêu chính (%)"), headline, scale=100),
        "trend_chart": charts.lines(
            _("Tỷ lệ theo tháng (%)"),
            months,
            [
                (_("Đúng hạn"), [r.values["on_time_rate"].value for r in result.trend]),
                (_("Nộp trực tuyến"), [r.values["online_filing_rate"].value for r in result.trend]),
            ],
            scale=100,
        ),
        "ranking_chart": charts.bars(
            _("Tỷ lệ giải quyết đúng hạn theo xã (%)"),
            [(r.label, r.values["on_time_rate"].value) for r in result.communes],
            scale=100,
        ),
    }


def _columns() -> dict:
    return {"columns": [BY_KEY[key].label for key in board.BREAKDOWN]}


@login_required
def overview(request):
    form, unit, period = _selected(request)
    context = {"form": form, "board": None, "query": request.GET.urlencode(), **_columns()}
    if unit is not None:
        result = board.build(unit, period)
        output = request.GET.get("format")
        if output == "xlsx":
            return download(exports.xlsx(result), XLSX, exports.filename(result, "xlsx"))
        if output == "pdf":
            pdf = exports.pdf(result, chart_context(result))
            return download(pdf, PDF, exports.filename(result, "pdf"))
        context.update(board=result, **chart_context(result))
    return render(request, "dashboard/overview.html", context, status=400 if form.errors else 200)


@login_required
def procedures(request):
    form, unit, period = _selected(request)
    rows = board.by_procedure(unit, period) if unit is not None else []
    context = {"form": form, "unit": unit, "period": period, "rows": rows, **_columns()}
    return render(request, "dashboard/procedures.html", context, status=400 if form.errors else 200)
