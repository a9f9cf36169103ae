"""Every workbook the platform writes goes through here, so exports are data, not code.

A name like ``=HYPERLINK("http://…","…")`` typed by a citizen would otherwise open in Excel as a
live formula (a link to anywhere, or a command through DDE). ``append`` writes such a text as a
text cell with Excel's quote prefix: the cell shows exactly what was typed and stays text when
edited. Only texts are neutralised; numbers, negative ones included, stay numbers.

``workbook`` is the plain one-sheet layout of registers and reports: bold title lines, bold
wrapped headings, the rows, and the headings frozen so they stay on screen while scrolling.
"""

import io

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


def workbook(title: str, heading_lines: list[str], headings: list, rows: list[list]) -> bytes:
    from openpyxl.styles import Alignment, Font

    book = new_book()
    sheet = book.active
    sheet.title = title[:31]
    for line in heading_lines:
        append(sheet, [line])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    append(sheet, [str(h) for h in headings])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        append(sheet, row)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return to_bytes(book)
