"""Exports are data, not code: a text cell a spreadsheet program would run as a formula is
written as text showing exactly what was typed; numbers, negative ones too, stay numbers."""

import io

import pytest
from openpyxl import load_workbook

from congso.core import spreadsheets

DANGEROUS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _cells(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).active
    return {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_looking_text_is_written_as_text(text):
    cells = _cells(spreadsheets.workbook("T", ["Tiêu đề"], ["Họ tên"], [[text]]))
    cell = cells[text]
    assert cell.data_type == "s" and cell.quotePrefix


def test_numbers_stay_numbers_and_plain_text_is_untouched():
    data = spreadsheets.workbook("T", [], ["A", "B", "C"], [[-5, 2.5, "Nguyễn Thị Mai"]])
    cells = _cells(data)
    assert cells[-5].data_type == "n" and cells[2.5].data_type == "n"
    assert cells["Nguyễn Thị Mai"].data_type == "s" and not cells["Nguyễn Thị Mai"].quotePrefix


def test_headings_and_title_lines_are_data_too():
    data = spreadsheets.workbook("T", ["=1+1"], ["@x"], [])
    cells = _cells(data)
    assert cells["=1+1"].data_type == "s" and cells["@x"].data_type == "s"
