"""Every workbook the platform writes goes through here, so exports are data, not code.

A name like ``=HYPERLINK("http://…","…")`` typed by a citizen would otherwise open in Excel as a
live formula (a link to anywhere, or a command through DDE). ``append`` writes such a text as a
text cell with Excel's quote prefix: the cell shows exactly what was typed and stays text when
edited. Only texts are neutralised; numbers, negative ones included, stay numbers.

``table`` is the plain layout of registers and reports — bold title lines, bold wrapped headings
frozen on screen and filtered, the rows as real dates and numbers with display formats;
``workbook`` (bytes) and ``write`` (to a file, streaming the rows) put it on a one-sheet book.
"""

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone

#: How a spreadsheet program recognises a formula (or hides one behind a tab or line break).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def new_book(*, empty: bool = False):
    """A new openpyxl workbook; ``empty`` removes the default sheet (the caller names its own)."""
    from openpyxl import Workbook

    book = Workbook()
    if empty:
        book.remove(book.active)
    return book


def as_text(cell) -> None:
    """Make a cell holding formula-looking text a text cell showing that same text."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def append(sheet, values) -> None:
    """Append one row to ``sheet`` as data (see the module's docstring)."""
    values = list(values)
    sheet.append(values)
    if values:
        for cell in sheet[sheet.max_row]:
            as_text(cell)


def to_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workbook(title: str, heading_lines: list, headings: list, rows, *, widths=()) -> bytes:
    """The plain layout (``table``) on one sheet, as bytes, for a download answered at once."""
    out = io.BytesIO()
    write(out, title, heading_lines, headings, rows, widths=widths)
    return out.getvalue()


def write(
    out, title: str, heading_lines: list, headings: list, rows, *, widths=(), progress=None
) -> int:
    """Write the plain one-sheet layout to ``out`` (a path or a binary file) and return the number
    of rows. ``rows`` may be any iterable: the book is written in openpyxl's write-only mode, each
    row serialised as it comes, so a year of a province's dossiers never sits in memory at once.
    ``progress(n)`` is called every ``PROGRESS_EVERY`` rows (a background export's progress)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    written = table(book.create_sheet(title[:31]), heading_lines, headings, rows, widths, progress)
    book.save(out)
    return written


def table(sheet, heading_lines: list, headings: list, rows, widths=(), progress=None) -> int:
    """The plain layout of registers and reports on ``sheet`` (a new sheet, write-only or not):
    bold title lines (a text, or a list of cells), bold wrapped headings frozen on screen with a
    filter on them, then the rows as real dates and numbers with Vietnamese display formats
    (``_cell``). ``widths`` are the first columns' widths. Returns the number of rows."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    top = len(heading_lines) + 1  # the headings' row
    sheet.freeze_panes = f"A{top + 1}"
    for line in heading_lines:
        cells = line if isinstance(line, list | tuple) else [line]
        sheet.append([_cell(sheet, value, bold=True) for value in cells])
    sheet.append([_cell(sheet, str(h), bold=True, wrap=True) for h in headings])
    written = 0
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        written += 1
        if progress and written % PROGRESS_EVERY == 0:
            progress(written)
    if headings:
        sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(headings))}{top + written}"
    return written


#: How often ``write`` reports its progress, in rows.
PROGRESS_EVERY = 500

#: Display formats by the type of a cell's value (Excel shows the separators of the reader's
#: locale: 1.250.000 and 31/12/2026 in Vietnamese). ``bool`` is an ``int``: it keeps Excel's own.
NUMBER_FORMATS = (
    (bool, None),
    (dt.datetime, "DD/MM/YYYY HH:MM"),
    (dt.date, "DD/MM/YYYY"),
    (int, "#,##0"),
    ((float, Decimal), "#,##0.0#"),
)


def _cell(sheet, value, *, bold: bool = False, wrap: bool = False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    cell = WriteOnlyCell(sheet, value=value)
    as_text(cell)
    cell.number_format = next(
        (shown or cell.number_format for kind, shown in NUMBER_FORMATS if isinstance(value, kind)),
        cell.number_format,
    )
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell
