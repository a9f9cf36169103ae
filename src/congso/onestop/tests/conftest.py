import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from congso.demo.loaders import load_all
from congso.onestop.services import ApplicantData, Intake, ReceivedDocument

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def demo(db):
    """The demo district: units, people, calendar and catalogue."""
    return load_all()


@pytest.fixture
def intake_for():
    """``intake_for(procedure, unit, **overrides)``: a complete desk intake of ``procedure``."""

    def make(procedure, unit, **overrides) -> Intake:
        version = procedure.current_version()
        documents = [
            ReceivedDocument(
                required_document_id=d.pk, name=d.name, copy_kind=d.copy_kind, count=d.count
            )
            for d in version.documents.all()
            if d.mandatory and not d.is_declaration
        ]
        fields = {
            "procedure_code": procedure.code,
            "unit_id": unit.pk,
            "applicant": ApplicantData(
                name="Nguyễn Thị Mai",
                id_number="040190001234",
                phone="0912345000",
                email="mai@example.vn",
            ),
            "documents": documents,
        }
        fields.update(overrides)
        return Intake(**fields)

    return make


def monday_morning() -> dt.datetime:
    """A plain working Monday, 08:00 in Vietnam (no holiday nearby)."""
    return dt.datetime(2026, 3, 9, 8, 0, tzinfo=VN)
