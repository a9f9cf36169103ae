import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest

from congso.core.uploads import CheckedFile
from congso.onestop.services import ApplicantData, Intake, ReceivedDocument

VN = ZoneInfo("Asia/Ho_Chi_Minh")


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


def scanned(name: str = "giay-to") -> CheckedFile:
    """A small PDF as the upload checks would pass it (online, every document has its file)."""
    data = b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n"
    return CheckedFile(
        name=f"{name}.pdf",
        data=data,
        content_type="application/pdf",
        extension="pdf",
        sha256=hashlib.sha256(data).hexdigest(),
    )


def uploaded_documents(version) -> list[ReceivedDocument]:
    """Each mandatory document of ``version`` with a scanned file, as the portal sends them."""
    return [
        ReceivedDocument(
            required_document_id=d.pk,
            name=d.name,
            copy_kind=d.copy_kind,
            count=d.count,
            file=scanned(f"giay-to-{d.pk}"),
        )
        for d in version.documents.all()
        if d.mandatory and not d.is_declaration
    ]


@pytest.fixture
def online_intake_for(intake_for):
    """``online_intake_for(procedure, unit, **overrides)``: ``intake_for`` with each document's
    file attached, as the portal sends it."""

    def make(procedure, unit, **overrides) -> Intake:
        intake = intake_for(procedure, unit, **overrides)
        for item in intake.documents:
            item.file = item.file or scanned(f"giay-to-{item.required_document_id}")
        return intake

    return make


def monday_morning() -> dt.datetime:
    """A plain working Monday, 08:00 in Vietnam (no holiday nearby)."""
    return dt.datetime(2026, 3, 9, 8, 0, tzinfo=VN)
