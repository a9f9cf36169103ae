"""Every workbook is laid out the same way (``core.spreadsheets.table``): the headings frozen on
screen and filtered, dates as real dates shown dd/mm/yyyy, counts and amounts as numbers shown
with thousands separators, an aware instant written as the local wall-clock time."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from congso.core import spreadsheets

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def _book():
    rows = [
        [dt.date(2026, 11, 24), dt.datetime(2026, 11, 24, 1, 30, tzinfo=dt.UTC), 1250000, 95.5],
        [dt.date(2026, 12, 1), None, Decimal("7.25"), True],
    ]
    return spreadsheets.workbook(
        "Sổ", ["SỔ THEO DÕI", ["Kỳ", "11/2026"]], ["Ngày", "Lúc", "Số tiền", "Tỷ lệ"], rows
    )


def test_the_headings_are_frozen_and_filtered_over_every_row():
    sheet = _sheet(_book())
    assert sheet.freeze_panes == "A4"  # two title lines, the headings, then the rows
    assert sheet.auto_filter.ref == "A3:D5"
    assert [c.value for c in sheet[2]][:2] == ["Kỳ", "11/2026"]


def test_dates_instants_and_numbers_are_real_values_with_vietnamese_formats():
    sheet = _sheet(_book())
    day, instant, amount, rate = sheet[4]
    assert day.is_date and day.value == dt.datetime(2026, 11, 24)
    assert day.number_format == "DD/MM/YYYY"
    assert instant.value == dt.datetime(2026, 11, 24, 8, 30)  # 01:30 UTC is 08:30 in Vietnam
    assert instant.number_format == "DD/MM/YYYY HH:MM"
    assert amount.value == 1250000 and amount.number_format == "#,##0"
    assert rate.value == 95.5 and rate.number_format == "#,##0.0#"
    decimal, yes = sheet[5][2], sheet[5][3]
    assert decimal.value == 7.25 and decimal.number_format == "#,##0.0#"
    assert yes.value is True and yes.number_format == "General"


def test_a_table_on_an_ordinary_sheet_takes_the_same_layout():
    book = spreadsheets.new_book()
    written = spreadsheets.table(book.active, [], ["Mã", "Số"], [["a", 1], ["b", 2]], (20,))
    sheet = _sheet(spreadsheets.to_bytes(book))
    assert written == 2
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:B3"
    assert sheet.column_dimensions["A"].width == 20
    assert sheet["B2"].number_format == "#,##0"


def test_only_core_spreadsheets_writes_workbooks():
    """A module that builds its own sheet with openpyxl would skip the layout and the formula
    guard: outside ``core/spreadsheets.py`` openpyxl may only be imported to read a workbook."""
    root = Path(spreadsheets.__file__).resolve().parents[1]
    writers = [
        f"{path.relative_to(root)}: {line.strip()}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts and path.name != "spreadsheets.py"
        for line in path.read_text(encoding="utf-8").splitlines()
        if "import" in line and "openpyxl" in line and line.strip() != OPENPYXL_READER
    ]
    assert writers == []


OPENPYXL_READER = "from openpyxl import load_workbook"
