"""Dashboard pages for leaders and unit administrators: the overview of a unit (and its
subtree) for a period, the per-procedure drill-down, and the Excel and PDF exports of the same
numbers. Officials see only the units their positions reach (``dashboard.view``); another unit
is a 404.
"""

import functools
import hashlib
import json
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from congso.accounts.permissions import acting_units, may
from congso.core.downloads import PDF, XLSX, download
from congso.core.formatting import date as vndate

from . import board, charts, exports
from .forms import PeriodForm
from .index766 import configuration as index_bands
from .indicators import BY_KEY

ACTION = "dashboard.view"
#: The selector's fields, in its order.
SELECTION = PeriodForm.field_order


def _form(request) -> PeriodForm:
    if not may(request.user, ACTION):
        raise PermissionDenied
    data = request.GET.copy()
    form = PeriodForm(data, acting_units(request.user, ACTION))
    if not data.get("unit"):
        rows = form.fields["unit"].rows()  # by path: the top unit first (the form's own list)
        if not rows:
            raise Http404
        data["unit"] = str(rows[0].pk)  # the form's data, not yet validated
    return form


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


#: The files a board is drawn by: a release that changes one draws every board anew.
DRAWN_BY = [
    *sorted(Path(__file__).parent.glob("*.py")),
    *sorted(Path(__file__).parent.glob("templatetags/*.py")),
    *sorted(Path(__file__).parent.glob("templates/dashboard/*.html")),
    *sorted((Path(__file__).parent.parent / "locale").glob("*/LC_MESSAGES/django.mo")),
]


@functools.cache
def _drawing() -> str:
    """A digest of what draws a board: the dashboard's code, templates and translations, and the
    index bands this process reads (``index766.configuration``: the default file or the one
    ``DASHBOARD_INDEX_766_BANDS`` names, edited by an operator between two starts)."""
    bands = json.dumps(index_bands(), sort_keys=True, default=str)
    digest = hashlib.sha256(bands.encode())
    for path in DRAWN_BY:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _board_html(inputs: board.Inputs, query: str) -> str:
    """The board's HTML, drawn once for each set of inputs, language and query and kept
    ``DASHBOARD_CACHE_SECONDS``: its numbers, units and dates are in the inputs' digest, so a new
    open dossier, a refresh of the facts, a renamed unit or a new day draws it anew; leaders who
    open the same overview share it (the user's right to see the unit is checked before)."""
    parts = (inputs.digest(), get_language(), query, _drawing())
    key = "dashboard:board:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        result = board.assemble(inputs)
        context = {"board": result, "query": query, **_columns(), **chart_context(result)}
        html = render_to_string("dashboard/_board.html", context)
        cache.set(key, html, settings.DASHBOARD_CACHE_SECONDS)
    return html


def _selection_query(request) -> str:
    """The selector's fields of the query string, in the form's order: what the board's links
    keep (and what its kept HTML is keyed by — not every parameter a request may carry)."""
    return urlencode([(name, request.GET[name]) for name in SELECTION if name in request.GET])


@login_required
def overview(request):
    form, unit, period = _selected(request)
    context = {"form": form, "board_html": ""}
    if unit is not None:
        output = request.GET.get("format")
        if output in ("xlsx", "pdf"):
            result = board.build(unit, period)
            if output == "xlsx":
                return download(exports.xlsx(result), XLSX, exports.filename(result, "xlsx"))
            pdf = exports.pdf(result, chart_context(result))
            return download(pdf, PDF, exports.filename(result, "pdf"))
        inputs = board.gather(unit, period)
        context["board_html"] = _board_html(inputs, _selection_query(request))
        # the board behind the HTML, worked out only if something asks (a test reading it)
        context["board"] = SimpleLazyObject(partial(board.assemble, inputs))
    return render(request, "dashboard/overview.html", context, status=400 if form.errors else 200)


@login_required
def procedures(request):
    form, unit, period = _selected(request)
    rows = board.by_procedure(unit, period) if unit is not None else []
    context = {"form": form, "unit": unit, "period": period, "rows": rows, **_columns()}
    return render(request, "dashboard/procedures.html", context, status=400 if form.errors else 200)


#: How many dossier codes a drill-down list shows (the counts are always whole).
DRILL_LIMIT = 500


def _dossier_items(ids) -> list[tuple[str, str]]:
    from congso.onestop import indicators766

    return [
        (code, reverse("onestop:dossier", args=[code]))
        for _pk, code in indicators766.codes(ids, DRILL_LIMIT)
    ]


def _procedure_items(entries) -> list[tuple[str, str]]:
    return [
        (f"{code} ({vndate(day)})" if day else code, reverse("catalog:detail", args=[code]))
        for code, day in entries[:DRILL_LIMIT]
    ]


def _complaint_items(codes) -> list[tuple[str, str]]:
    return [(code, reverse("feedback:complaint", args=[code])) for code in codes[:DRILL_LIMIT]]


def _complaint_satisfaction_drill(unit_ids, period) -> dict:
    """Criterion 5.3: the complaints received (denominator) and those subtracted from them —
    rated unsatisfied, overdue — whose counts give the numerator (portal formula 5.3)."""
    from congso.feedback import figures as feedback_figures

    received, unsatisfied, overdue = feedback_figures.satisfaction_behind(
        unit_ids, period.start, period.end
    )
    return {
        "kind": "complaint_parts",
        "numerator": max(0, len(received) - len(unsatisfied) - len(overdue)),
        "denominator": len(received),
        "denominator_items": _complaint_items(received),
        "unsatisfied_items": _complaint_items(unsatisfied),
        "unsatisfied": len(unsatisfied),
        "overdue_items": _complaint_items(overdue),
        "overdue": len(overdue),
        "limit": DRILL_LIMIT,
    }


def _drill(criterion: str, unit_ids, period) -> dict | None:
    """What is behind one criterion, each entry linked to its page: the dossiers (one-stop
    data, with the payments app deciding which fees were paid online and feedback which
    dossiers were complained about or rated unsatisfied), the procedure versions (catalogue,
    1.1–1.3) or the complaints (5.2, 5.3). 5.3 subtracts counts (received − rated unsatisfied −
    overdue), so its page lists the complaints received and the two lists subtracted."""
    from congso.catalog import figures as catalog_figures
    from congso.feedback import figures as feedback_figures
    from congso.onestop import indicators766
    from congso.payments.services import portal_payment_codes

    if criterion in catalog_figures.KEYS:
        numerator, rest = catalog_figures.behind(criterion, unit_ids, period.start, period.end)
        kind, numerator_items, rest_items = "procedures", *map(_procedure_items, (numerator, rest))
        counts = len(numerator), len(numerator) + len(rest)
    elif criterion == "complaints_satisfaction_rate":
        return _complaint_satisfaction_drill(unit_ids, period)
    elif criterion == "complaints_on_time_rate":
        numerator, rest = feedback_figures.on_time_behind(unit_ids, period.start, period.end)
        kind, numerator_items, rest_items = "complaints", *map(_complaint_items, (numerator, rest))
        counts = len(numerator), len(numerator) + len(rest)
    else:
        if criterion in indicators766.KEYS:
            numerator, denominator = indicators766.dossiers_behind(criterion, unit_ids, period)
        elif criterion == "online_payment_rate":
            denominator = indicators766.fee_bearing(unit_ids, period)
            numerator = set(portal_payment_codes(denominator))
        elif criterion == "satisfaction_rate":
            denominator = indicators766.received(unit_ids, period).values_list("pk", flat=True)
            denominator = set(denominator)
            numerator = feedback_figures.dissatisfied_dossiers(unit_ids, period.start, period.end)
        else:
            return None
        kind = "dossiers"
        numerator_items, rest_items = (
            _dossier_items(numerator),
            _dossier_items(denominator - numerator),
        )
        counts = len(numerator), len(denominator)
    return {
        "kind": kind,
        "numerator": counts[0],
        "denominator": counts[1],
        "numerator_items": numerator_items,
        "rest_items": rest_items,
        "limit": DRILL_LIMIT,
    }


@login_required
def index766(request):
    """The Decision 766 index criterion by criterion: formula, legal basis, numerator and
    denominator, points; ``criterion=<key>`` lists the dossiers behind it (drill-down)."""
    form, unit, period = _selected(request)
    query = request.GET.copy()
    query.pop("criterion", None)
    context = {"form": form, "board": None, "drill": None, "query": query.urlencode()}
    if unit is not None:
        result = board.build(unit, period, details=False)
        context["board"] = result
        criterion = request.GET.get("criterion", "")
        chosen = next((c for c in result.index.criteria if c.key == criterion), None)
        if chosen is not None:
            ids = board.subtree_ids(unit)
            context.update(criterion=chosen, drill=_drill(criterion, ids, period))
    return render(request, "dashboard/index766.html", context, status=400 if form.errors else 200)
