"""The register export (form 07 as a workbook): an applicant named like a formula is shown as
that text in Excel, never run as a formula (a link to an attacker's site, a command)."""

import io

from openpyxl import load_workbook

from congso.catalog.models import Procedure
from congso.onestop import printing, services
from congso.onestop.reports import Period

from .conftest import monday_morning

NAME = '=HYPERLINK("http://x","y")'


def test_formula_name_is_a_string_cell(demo, intake_for):
    unit = demo["units"]["Xã Nghi Long"]
    birth = Procedure.objects.get(code="1.001193")
    applicant = services.ApplicantData(name=NAME, id_number="040190001234")
    services.receive_at_desk(
        demo["people"]["motcua.nghilong"],
        intake_for(birth, unit, applicant=applicant),
        now=monday_morning(),
    )
    day = monday_morning().date()
    data = printing.register_xlsx(unit, Period(day, day))
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == NAME]
    assert cells, "the applicant's name is not in the register"
    assert all(cell.data_type == "s" for cell in cells)
