"""Every workbook the platform writes goes through here, so exports are data, not code.

A name like ``=HYPERLINK("http://…","…")`` typed by a citizen would otherwise open in Excel as a
live formula (a link to anywhere, or a command through DDE). ``append`` writes such a text as a
text cell with Excel's quote prefix: the cell shows exactly what was typed and stays text when
edited. Only texts are neutralised; numbers, negative ones included, stay numbers.

``workbook`` (bytes) and ``write`` (to a file, streaming the rows) are the plain one-sheet layout of
registers and reports: bold title lines, bold wrapped headings, the rows, and the headings frozen
so they stay on screen while scrolling.
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


def workbook(title: str, heading_lines: list[str], headings: list, rows) -> bytes:
    """The plain layout (``write``) as bytes, for a download answered at once."""
    out = io.BytesIO()
    write(out, title, heading_lines, headings, rows)
    return out.getvalue()


def write(out, title: str, heading_lines: list[str], headings: list, rows, progress=None) -> int:
    """Write the plain one-sheet layout to ``out`` (a path or a binary file) and return the number
    of rows. ``rows`` may be any iterable: the book is written in openpyxl's write-only mode, each
    row serialised as it comes, so a year of a province's dossiers never sits in memory at once.
    ``progress(n)`` is called every ``PROGRESS_EVERY`` rows (a background export's progress)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = f"A{len(heading_lines) + 2}"  # the row under the headings
    for line in heading_lines:
        sheet.append([_cell(sheet, line, bold=True)])
    sheet.append([_cell(sheet, str(h), bold=True, wrap=True) for h in headings])
    written = 0
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        written += 1
        if progress and written % PROGRESS_EVERY == 0:
            progress(written)
    book.save(out)
    return written


#: How often ``write`` reports its progress, in rows.
PROGRESS_EVERY = 500


def _cell(sheet, value, *, bold: bool = False, wrap: bool = False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    cell = WriteOnlyCell(sheet, value=value)
    as_text(cell)
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell
