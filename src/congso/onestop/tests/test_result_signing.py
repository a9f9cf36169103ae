"""The leader's approval issues the result signed with the deciding agency's seal (pdfsig agrees);
the draft is kept as it was; a unit without a usable seal key leaves the result *unsigned*."""

import datetime as dt
import hashlib
import shutil

import pytest
from django.urls import reverse

from congso.catalog.models import Procedure
from congso.demo import signing as signing_demo
from congso.onestop import results, services, sync
from congso.onestop.models import Result
from congso.signing import services as signing
from congso.signing.models import Certificate, CertificateKind
from congso.signing.tests import support

from .conftest import monday_morning

pytestmark = [
    pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing"),
    pytest.mark.slow,
]


@pytest.fixture
def birth(demo, settings, tmp_path):
    """Birth registration at Nghi Long, whose people's committee holds a demo seal certificate."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    _root, issuing = signing_demo.ensure_authorities()
    signing_demo.issue_for_unit(demo["units"]["Xã Nghi Long"], issuing)
    return Procedure.objects.get(code="1.001193")


def _to_leader(demo, procedure, intake_for, *, attach=None):
    units, people = demo["units"], demo["people"]
    desk, clerk = people["motcua.nghilong"], people["congchuc.nghilong"]
    now = monday_morning()
    dossier = services.receive_at_desk(desk, intake_for(procedure, units["Xã Nghi Long"]), now=now)
    dossier = services.transition(dossier, "start", actor=desk, now=now + dt.timedelta(minutes=5))
    if attach is not None:
        services.attach_result(dossier, actor=clerk, title="Giấy khai sinh", file=attach)
    else:  # nothing is signed that nobody has seen: the specialist drafts it from the template
        results.draft(dossier, clerk, when=now + dt.timedelta(minutes=20))
    dossier.refresh_from_db()
    return services.transition(dossier, "forward", actor=clerk, now=now + dt.timedelta(minutes=30))


def _approve(demo, dossier):
    leader = demo["people"]["lanhdao.nghilong"]
    return services.transition(
        dossier, "approve", actor=leader, now=monday_morning() + dt.timedelta(hours=1)
    )


def _text(data: bytes, tmp_path) -> str:
    from .test_print_forms import pdf_text

    return pdf_text(data, tmp_path)


def test_the_drafted_result_is_signed_at_approval(demo, birth, intake_for, tmp_path):
    dossier = _approve(demo, _to_leader(demo, birth, intake_for))
    result = Result.objects.select_related("signed_file").get(dossier=dossier)
    assert result.generated and result.signed and result.unsigned_reason == ""
    draft = result.file.read()
    assert hashlib.sha256(draft).hexdigest() == result.sha256
    text = _text(draft, tmp_path)
    assert dossier.code in text and "Nguyễn Thị Mai" in text and "UBND XÃ NGHI LONG" in text
    signed = result.signed_file.file.read()
    assert hashlib.sha256(signed).hexdigest() == result.signed_file.sha256 != result.sha256
    assert signed.startswith(draft)  # an incremental update: the draft's bytes are untouched
    [report] = signing.verify_pdf(signed)
    assert report.ok and "Nghi Long" in report.signer
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(signed)
    root = Certificate.objects.get(is_trust_anchor=True).pem
    checked = support.pdfsig(path, nssdir=support.nss_database(tmp_path / "nss", root))
    assert checked.signature_valid and checked.certificate_trusted, checked.output
    assert dossier.events.get(transition="approve").data["result_signed"] is True
    [exported] = sync.national_record(sync.for_sync().get(pk=dossier.pk))["DanhSachGiayToKetQua"]
    assert exported["DaKySo"] is True and exported["MaHash"] == result.signed_file.sha256


def test_an_uploaded_draft_is_kept_and_the_signed_copy_stored_beside_it(
    demo, birth, intake_for, tmp_path
):
    import weasyprint
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congso.core.uploads import check_file

    upload = check_file(
        SimpleUploadedFile(
            "kq.pdf", weasyprint.HTML(string="<p>Trích lục khai sinh</p>").write_pdf()
        )
    )
    dossier = _approve(demo, _to_leader(demo, birth, intake_for, attach=upload))
    result = Result.objects.get(dossier=dossier)
    assert not result.generated and result.signed
    assert result.file.read() == upload.data and result.sha256 == upload.sha256
    path = tmp_path / "signed.pdf"
    path.write_bytes(result.signed_file.file.read())
    assert support.pdfsig(path).signature_valid
    client = _client(demo["people"]["motcua.nghilong"])
    url = reverse("onestop:result_file", args=[dossier.code])
    signed_download = client.get(url).getvalue()
    draft_download = client.get(url + "?draft=1").getvalue()
    assert signed_download == path.read_bytes() and draft_download == upload.data


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_unit_without_a_usable_seal_leaves_the_result_unsigned(demo, birth, intake_for):
    commune = demo["units"]["Xã Nghi Long"]
    for certificate in Certificate.objects.filter(
        kind=CertificateKind.ORGANISATION, owner_unit=commune
    ):
        signing.revoke_certificate(certificate)
    assert signing.organisation_key(commune) is None
    dossier = _approve(demo, _to_leader(demo, birth, intake_for))
    result = Result.objects.get(dossier=dossier)
    assert not result.signed and result.signed_file is None
    assert "chưa có chữ ký số của cơ quan" in result.unsigned_reason
    page = _client(demo["people"]["lanhdao.nghilong"]).get(
        reverse("onestop:dossier", args=[dossier.code])
    )
    html = page.content.decode()
    assert 'data-result-signed="false"' in html and "chưa ký số" in html
    assert result.unsigned_reason in html


def test_with_a_time_stamp_server_the_result_is_sealed_at_b_lt(demo, birth, intake_for, settings):
    """Where a time-stamp server is configured, a one-stop result is sealed at PAdES B-LT by
    default (``signing.services.level_for``): time-stamped, revocation data in the DSS."""
    from sandbox.tsa import start_in_thread

    from congso.signing import pki

    issuing = signing_demo.ensure_authorities()[1]
    issued = pki.issue_tsa(pki.name("Công Sở Test TSA"), issuer=issuing)
    running = start_in_thread(issued=(issued.key, issued.certificate, [issuing.certificate]))
    settings.CONGSO_TSA_URL = running.url
    try:
        dossier = _approve(demo, _to_leader(demo, birth, intake_for))
    finally:
        running.stop()
    result = Result.objects.select_related("signed_file").get(dossier=dossier)
    assert result.signed and running.authority.issued >= 1
    [report] = signing.verify_pdf(result.signed_file.file.read())
    assert report.ok and report.level == "B-LT" and report.revocation == "good"
    assert report.revocation_source == "dss" and report.timestamp
