import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.accounts.tests.factories import CitizenFactory
from congso.catalog.models import Procedure
from congso.portal.examples import BIRTH_ANSWERS


@pytest.fixture
def birth(demo):
    return Procedure.objects.get(code="1.001193")


@pytest.fixture
def commune(demo):
    return demo["units"]["Xã Nghi Long"]


@pytest.fixture
def citizen(db):
    return CitizenFactory(full_name="Nguyễn Văn An", phone="+84912000111")


@pytest.fixture
def other_citizen(db):
    return CitizenFactory(full_name="Trần Thị Bình", phone="+84912000222")


def pdf_bytes(text: str = "Giấy chứng sinh") -> bytes:
    import weasyprint

    return weasyprint.HTML(string=f"<p>{text}</p>").write_pdf()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def upload(name: str = "chung-sinh.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data)


def required_ids(procedure) -> list[int]:
    version = procedure.current_version()
    return [d.pk for d in version.documents.all() if d.mandatory and not d.is_declaration]


@pytest.fixture
def ready_draft(birth, commune, citizen):
    """A birth registration draft with every page filled, ready to submit."""
    from congso.portal import services

    draft = services.start_draft(citizen, birth)
    services.set_unit(draft, commune.pk)
    draft.answers = BIRTH_ANSWERS
    draft.save()
    for pk in required_ids(birth):
        services.attach_upload(draft, pk, upload(f"giay-to-{pk}.pdf", pdf_bytes(f"Giấy tờ {pk}")))
    services.set_delivery(draft, "online")
    return draft
