"""A plain one-sheet workbook for registers and reports: bold title lines, bold wrapped headings,
the rows, and the headings frozen so they stay on screen while scrolling."""

import io


def workbook(title: str, heading_lines: list[str], headings: list, rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for line in heading_lines:
        sheet.append([line])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append([str(h) for h in headings])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
