"""Document registers (Decree 30/2020, appendix IV), ten columns each, per organ and year, as rows
for a page, an A4-landscape PDF (WeasyPrint) and an Excel workbook (openpyxl)."""

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.core import spreadsheets

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


def pdf(unit, year: int, direction: str) -> bytes:
    from .compose import html_to_pdf

    html = render_to_string(
        "documents/print/register.html",
        {
            "unit": unit,
            "year": year,
            "title": TITLES[direction],
            "columns": columns(direction),
            "rows": rows(unit, year, direction),
            "nowrap": NOWRAP[direction],
        },
    )
    return html_to_pdf(html)


def xlsx(unit, year: int, direction: str) -> bytes:
    return spreadsheets.workbook(
        str(year),
        [f"{TITLES[direction]} — {unit.name} — {year}"],
        columns(direction),
        iter_rows(unit, year, direction),
        widths=(16, 12, 50, 20, 30, 18, 10, 12, 12, 16),
    )
