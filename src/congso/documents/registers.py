"""Document registers (Decree 30/2020, appendix IV), ten columns each, per organ and year, as rows
for a page, an A4-landscape PDF (WeasyPrint) and an Excel workbook (openpyxl)."""

from functools import partial

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.core import exports, longpdf, spreadsheets
from congso.org import services as org

from .lifecycle import IncomingState, OutgoingState
from .models import Direction, Document

OUTGOING_COLUMNS = [
    gettext_lazy("Số, ký hiệu văn bản"),
    gettext_lazy("Ngày tháng văn bản"),
    gettext_lazy("Tên loại và trích yếu nội dung"),
    gettext_lazy("Người ký"),
    gettext_lazy("Nơi nhận văn bản"),
    gettext_lazy("Đơn vị, người nhận bản lưu"),
    gettext_lazy("Số lượng bản"),
    gettext_lazy("Ngày chuyển"),
    gettext_lazy("Ký nhận"),
    gettext_lazy("Ghi chú"),
]

INCOMING_COLUMNS = [
    gettext_lazy("Ngày đến"),
    gettext_lazy("Số đến"),
    gettext_lazy("Tác giả"),
    gettext_lazy("Số, ký hiệu"),
    gettext_lazy("Ngày tháng"),
    gettext_lazy("Tên loại và trích yếu nội dung"),
    gettext_lazy("Đơn vị hoặc người nhận"),
    gettext_lazy("Ngày chuyển"),
    gettext_lazy("Ký nhận"),
    gettext_lazy("Ghi chú"),
]

#: columns kept on one line (numbers, notations, dates), counted from 1
NOWRAP = {Direction.OUTGOING: (1, 2, 8), Direction.INCOMING: (1, 2, 4, 5, 8)}

TITLES = {
    Direction.OUTGOING: gettext_lazy("SỔ ĐĂNG KÝ VĂN BẢN ĐI"),
    Direction.INCOMING: gettext_lazy("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"),
}


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def documents(unit, year: int, direction: str):
    queryset = Document.objects.filter(unit=unit, direction=direction)
    if direction == Direction.OUTGOING:
        return (
            queryset.filter(
                state__in=[OutgoingState.ISSUED, OutgoingState.RECALLED], issued_on__year=year
            )
            .order_by("doc_type", "number")
            .select_related("signer")
            .annotate(copies=Count("recipients"))
        )
    return (
        queryset.filter(received_at__year=year)
        .exclude(state=IncomingState.REFUSED)
        .order_by("arrival_number")
        .select_related("lead_unit", "lead_user")
    )


def _outgoing_row(document) -> list[str]:
    note = _("Đã thu hồi") if document.state == OutgoingState.RECALLED else ""
    return [
        document.notation,
        _date(document.issued_on),
        f"{document.get_doc_type_display()}: {document.subject}",
        str(document.signer or ""),
        document.recipients_text,
        _("Văn thư (bản điện tử)"),
        str(document.copies),
        _date(document.issued_on),
        _("Chữ ký số"),
        note,
    ]


def _incoming_row(document) -> list[str]:
    handler = document.lead_user or document.lead_unit
    return [
        _date(document.received_at),
        f"{document.arrival_number:02d}" if document.arrival_number else "",
        document.author,
        document.notation,
        _date(document.issued_on),
        f"{document.get_doc_type_display()}: {document.subject}",
        str(handler or ""),
        _date(document.received_at) if handler else "",
        _("Điện tử") if handler else "",
        document.get_urgency_display() if document.urgency else "",
    ]


def rows(unit, year: int, direction: str, chosen=None) -> list[list[str]]:
    """The register's rows: of ``chosen`` (a page of ``documents``) or of the whole year. Each row
    is built from its document alone (the recipients are counted in the same query)."""
    return list(iter_rows(unit, year, direction, chosen))


def iter_rows(unit, year: int, direction: str, chosen=None):
    """The rows one by one, the year's documents read 500 at a time (exports)."""
    make = _outgoing_row if direction == Direction.OUTGOING else _incoming_row
    if chosen is None:
        chosen = documents(unit, year, direction).iterator(chunk_size=500)
    return (make(d) for d in chosen)


def columns(direction: str) -> list[str]:
    chosen = OUTGOING_COLUMNS if direction == Direction.OUTGOING else INCOMING_COLUMNS
    return [str(c) for c in chosen]


def export_params(unit, year: int, direction: str) -> dict:
    """What a background export of a register records (``core.exports``)."""
    return {"unit": unit.pk, "year": year, "direction": direction}


def start_export(user, unit, year: int, direction: str, output: str):
    """Queue the register as a PDF or workbook (``output``) for ``user``, built by a worker."""
    name = f"so-van-ban-{'di' if direction == Direction.OUTGOING else 'den'}-{year}"
    return exports.start(
        user,
        f"documents.register_{output}",
        export_params(unit, year, direction),
        title=f"{TITLES[direction]} — {unit.name} — {year}",
        filename=f"{name}.{output}",
    )


def _scope(params: dict) -> tuple:
    return org.units().get(pk=params["unit"]), int(params["year"]), params["direction"]


def part_html(unit, year: int, direction: str, rows, *, first: bool, first_page: int) -> str:
    """One part of the register as a PDF's HTML (``core.longpdf``): the heading on the first."""
    return render_to_string(
        "documents/print/register.html",
        {
            "unit": unit,
            "year": year,
            "title": TITLES[direction],
            "columns": columns(direction),
            "rows": rows,
            "nowrap": NOWRAP[direction],
            "first": first,
            "first_page": first_page,
        },
    )


def build_pdf(params: dict, out, progress) -> int:
    """Background builder of a register as an A4-landscape PDF: the year's documents streamed,
    laid out a part at a time (``core.longpdf``)."""
    unit, year, direction = _scope(params)
    return longpdf.write(
        out,
        partial(part_html, unit, year, direction),
        iter_rows(unit, year, direction),
        progress=progress,
    )


def build_xlsx(params: dict, out, progress) -> int:
    """Background builder of a register as a workbook, its rows streamed (``core.spreadsheets``)."""
    unit, year, direction = _scope(params)
    return spreadsheets.write(
        out,
        str(year),
        [f"{TITLES[direction]} — {unit.name} — {year}"],
        columns(direction),
        iter_rows(unit, year, direction),
        widths=(16, 12, 50, 20, 30, 18, 10, 12, 12, 16),
        progress=progress,
    )
