"""The overview as an Excel workbook (openpyxl) and as a PDF (WeasyPrint): the same ``Board``
the page shows, so the numbers cannot differ. Rates are written as numbers (percent points),
not text, so they can be summed and charted in a spreadsheet; "not available" is written as
the words, never as 0."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from congso.core import formatting, spreadsheets

from .board import Board
from .indicators import NOT_AVAILABLE


def filename(result: Board, extension: str) -> str:
    return f"bang-dieu-hanh-{result.unit.pk}-{result.period.start:%Y%m%d}-{result.period.end:%Y%m%d}.{extension}"


def cell(value) -> object:
    """What a workbook cell holds for an indicator value."""
    if not value.available:
        return str(NOT_AVAILABLE)
    if value.value is None:
        return "—"
    return float(value.value) if not isinstance(value.value, int) else value.value


def _overview(sheet, result: Board) -> None:
    period = f"{formatting.date(result.period.start)} – {formatting.date(result.period.end)}"
    title = [[_("Bảng điều hành chuyển đổi số"), result.unit.name], [_("Kỳ"), period], []]
    headings = [_("Mã"), _("Chỉ tiêu"), _("Giá trị"), _("Mục tiêu"), _("Đánh giá")]
    rows = (
        [
            value.key,
            str(value.indicator.label),
            cell(value),
            float(value.indicator.target.value) if value.indicator.target else None,
            value.status_label,
        ]
        for value in result.values
    )
    spreadsheets.table(sheet, title, headings, rows)


def _index(sheet, result: Board) -> None:
    headings = [_("Nhóm"), _("Tiêu chí"), _("Điểm tối đa"), _("Giá trị"), _("Điểm")]
    rows = (
        [
            group.label,
            c.label,
            c.points,
            float(c.value) if c.value is not None else str(NOT_AVAILABLE),
            float(c.score),
        ]
        for group in result.index.groups
        for c in group.criteria
    )
    spreadsheets.table(sheet, [], headings, rows)
    total = [_("Tổng cộng"), "", result.index.points, "", float(result.index.score)]
    spreadsheets.append(sheet, total)


def _rows(sheet, heading: str, rows) -> None:
    from .board import BREAKDOWN
    from .indicators import BY_KEY

    headings = [heading, *[str(BY_KEY[k].label) for k in BREAKDOWN]]
    values = ([row.label, *[cell(row.values[k]) for k in BREAKDOWN]] for row in rows)
    spreadsheets.table(sheet, [], headings, values)


def xlsx(result: Board) -> bytes:
    book = spreadsheets.new_book()
    _overview(book.active, result)
    book.active.title = _("Tổng quan")
    _index(book.create_sheet(_("Chỉ số 766")), result)
    _rows(book.create_sheet(_("Theo đơn vị")), _("Đơn vị"), result.units)
    _rows(book.create_sheet(_("Theo tháng")), _("Tháng"), result.trend)
    _rows(book.create_sheet(_("Xếp hạng xã")), _("Xã, thị trấn"), result.communes)
    return spreadsheets.to_bytes(book)


def pdf(result: Board, charts: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("dashboard/pdf.html", {"board": result, **charts})
    return HTML(string=html).write_pdf()
