"""The demo catalogue: real procedures across the sectors, loaded idempotently."""

import json

import pytest

from congso.catalog.declaration import validate_form_schema
from congso.catalog.models import Procedure, ProcedureVersion
from congso.demo import catalog as demo
from congso.demo.loaders import load_all

pytestmark = pytest.mark.django_db

FULL_FORMS = ("1.001193", "1.000894", "2.000815", "1.001612", "1.013225")


def test_demo_file_covers_the_required_sectors_and_levels():
    data = json.loads(demo.DATA_FILE.read_text())
    procedures = data["procedures"]
    assert len(procedures) >= 20
    assert {p["sector"] for p in procedures} == {"HT", "CT", "HKD", "XD", "DD", "BTXH"}
    assert {p["level"] for p in procedures} == {"commune", "district"}
    codes = {p["code"] for p in procedures}
    assert {"1.001193", "1.000894", "1.000656", "2.000635", "2.000815", "2.000884"} <= codes
    for code in FULL_FORMS:
        schema = next(p for p in procedures if p["code"] == code)["version"]["form_schema"]
        assert validate_form_schema(schema)["required"], code


def test_demo_loader_is_idempotent():
    load_all()
    counts = (Procedure.objects.count(), ProcedureVersion.objects.count())
    loaded = load_all()
    assert counts == (26, 26)
    assert (Procedure.objects.count(), ProcedureVersion.objects.count()) == counts
    assert loaded["catalog"].unchanged == 26
