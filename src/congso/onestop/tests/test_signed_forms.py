"""A form issued electronically carries the issuing unit's organisation signature (Circular
03/2025/TT-VPCP); a unit without a seal key still gets its form, unsigned."""

import shutil

import pytest
from django.urls import reverse

from congso.catalog.models import Procedure
from congso.demo import signing as signing_demo
from congso.onestop import services
from congso.signing.tests import support

from .conftest import monday_morning

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing")


@pytest.fixture
def received(demo, intake_for, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    procedure = Procedure.objects.get(code="1.001193")
    return services.receive_at_desk(
        demo["people"]["motcua.nghilong"],
        intake_for(procedure, demo["units"]["Xã Nghi Long"]),
        now=monday_morning(),
    )


def _download(client, demo, dossier, form):
    client.force_login(demo["people"]["motcua.nghilong"])
    return client.get(reverse("onestop:form", kwargs={"code": dossier.code, "form": form}))


def test_receipt_and_control_sheet_are_sealed(client, demo, received, tmp_path):
    _root, issuing = signing_demo.ensure_authorities()
    signing_demo.issue_for_unit(demo["units"]["Xã Nghi Long"], issuing)
    for form in ("01", "06"):
        response = _download(client, demo, received, form)
        path = tmp_path / f"mau-{form}.pdf"
        path.write_bytes(response.content)
        checked = support.pdfsig(path)
        assert checked.signature_valid and "Nghi Long" in checked.output, checked.output


def test_without_a_seal_the_form_is_served_unsigned(client, demo, received, tmp_path):
    response = _download(client, demo, received, "01")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert b"/ByteRange" not in response.content
