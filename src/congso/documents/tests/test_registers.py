"""Registers: ten columns, the PDF's text (pdftotext) and the Excel workbook read back."""

import io
import subprocess

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from congso.documents import registers
from congso.documents.models import Direction

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_issued(issued):
    return [issued(), issued(doc_type="CV", subject="V/v báo cáo chuyển đổi số")]


def test_outgoing_register_rows(two_issued, tree):
    year = timezone.localdate().year
    rows = registers.rows(tree["district"], year, Direction.OUTGOING)
    assert len(registers.columns(Direction.OUTGOING)) == 10
    assert [r[0] for r in rows] == ["01/UBND-TP", "01/QĐ-UBND"]
    assert all(len(r) == 10 for r in rows)


def built(builder, unit, year, direction) -> bytes:
    out, seen = io.BytesIO(), []
    done = builder(registers.export_params(unit, year, direction), out, seen.append)
    assert done == len(registers.rows(unit, year, direction))
    return out.getvalue()


def test_register_pdf_text(two_issued, tree):
    year = timezone.localdate().year
    data = built(registers.build_pdf, tree["commune_a"], year, Direction.INCOMING)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text
    compact = "".join(text.split())  # cells wrap inside narrow columns
    assert "01/QĐ-UBND" in compact and "01/UBND-TP" in compact
    assert "Ngàyđến" in compact and "Tácgiả" in compact
    size = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True).stdout.decode()
    assert "841.89 x 595.276 pts (A4)" in size  # landscape: width first


def test_register_excel(two_issued, tree):
    year = timezone.localdate().year
    data = built(registers.build_xlsx, tree["district"], year, Direction.OUTGOING)
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet.cell(2, 1).value == "Số, ký hiệu văn bản"
    assert sheet.max_column == 10
    assert {sheet.cell(3, 1).value, sheet.cell(4, 1).value} == {"01/QĐ-UBND", "01/UBND-TP"}
