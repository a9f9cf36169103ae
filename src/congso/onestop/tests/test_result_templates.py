"""Every commune procedure of the demo catalogue has a result template; drafted from the example
declaration, its PDF text (pdftotext) carries every bound field that has a value."""

import shutil

import pytest

from congso.catalog.declaration import validate_declaration
from congso.catalog.models import Procedure
from congso.core import pdfpages
from congso.onestop import result_templates as rt
from congso.onestop import results, services
from congso.onestop.examples import declaration
from congso.onestop.printing import issuer, lead_unit
from congso.portal.examples import BIRTH_ANSWERS

from .conftest import monday_morning
from .test_print_forms import pdf_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")

COMMUNE_PROCEDURES = [
    "1.001193",
    "1.000894",
    "1.000656",
    "2.000635",
    "1.004873",
    "1.004859",
    "1.004884",
    "1.000689",
    "2.000815",
    "2.000884",
    "2.000942",
    "1.001776",
    "1.001731",
    "1.001699",
]


def _flat(text: str) -> str:
    return " ".join(text.split())


def draft_for(demo, intake_for, code: str, form_data: dict, unit_name="Xã Nghi Long"):
    procedure = Procedure.objects.get(code=code)
    version = procedure.current_version()
    if version.form_schema:
        validate_declaration(version.form_schema, form_data)
    fee = version.channel("desk").fee
    pages = 13 if fee.get("kind") == "per_page" else 0
    intake = intake_for(
        procedure, demo["units"][unit_name], form_data=form_data, pages=pages, copies=3
    )
    intake.applicant.address = "Xóm 9, xã Nghi Long"
    dossier = services.receive_at_desk(
        demo["people"]["motcua.nghilong"], intake, now=monday_morning()
    )
    return dossier, results.create_draft(dossier, None, when=monday_morning())


def test_the_demo_catalogue_s_commune_procedures_are_those_listed(demo):
    listed = set(
        Procedure.objects.filter(level="commune", is_active=True).values_list("code", flat=True)
    )
    assert listed == set(COMMUNE_PROCEDURES)
    for code in COMMUNE_PROCEDURES:
        assert code in rt.BY_PROCEDURE, code


@pytest.mark.parametrize("code", COMMUNE_PROCEDURES)
def test_result_renders_every_bound_field(demo, intake_for, tmp_path, code):
    dossier, result = draft_for(demo, intake_for, code, declaration(code))
    text = _flat(pdf_text(result.file.read(), tmp_path))
    bound = {k: v for k, v in result.values.items() if v}
    assert bound, code
    missing = [f"{k}={v}" for k, v in bound.items() if _flat(v) not in text]
    assert not missing, (code, missing)
    _upper, agency = issuer(lead_unit(dossier))  # the deciding agency heads the result
    assert dossier.code in text and agency in text
    declared = [v for v in result.values.values() if v and v not in (dossier.code,)]
    assert len(declared) >= 1


def test_birth_certificate_from_the_portal_example(demo, intake_for, tmp_path):
    _dossier, result = draft_for(demo, intake_for, "1.001193", BIRTH_ANSWERS)
    text = _flat(pdf_text(result.file.read(), tmp_path))
    for value in ("Nguyễn Minh Khang", "20/11/2026", "Lê Thị Hoa", "Nam", "Nguyễn Văn An"):
        assert value in text
    assert result.templates == ["giay_khai_sinh"]  # no copies requested: no copy extract
    assert "GIẤY KHAI SINH" in text and "cấp khi ký" in text


def test_copies_requested_add_the_copy_extract(demo, intake_for, tmp_path):
    _dossier, result = draft_for(demo, intake_for, "1.001193", declaration("1.001193"))
    assert result.templates == ["giay_khai_sinh", "trich_luc_khai_sinh"]
    data = result.file.read()
    text = pdf_text(data, tmp_path)
    assert "TRÍCH LỤC KHAI SINH" in text and "Phan Văn Hải" in text
    assert len(pdfpages.shown_pages(data)) == 2  # one page per template


def test_household_business_certificate_at_the_district(demo, intake_for, tmp_path):
    procedure = Procedure.objects.get(code="1.001612")
    form_data = declaration("1.001612")
    validate_declaration(procedure.current_version().form_schema, form_data)
    intake = intake_for(procedure, demo["units"]["desk"], form_data=form_data)
    dossier = services.receive_at_desk(
        demo["people"]["motcua.nghiloc"], intake, now=monday_morning()
    )
    result = results.create_draft(dossier, None, when=monday_morning())
    text = _flat(pdf_text(result.file.read(), tmp_path))
    for key in ("business_name", "business_lines", "capital", "owner_name", "owner_id"):
        assert result.values[key] and result.values[key] in text, key
    assert "150.000.000 đ" in text and "4721" in text
