"""Where the procedure's result is the leader's own decision, the approved result waits for his
personal signature, made with his own signer (the CA's remote-signing sandbox, confirmed on the
"phone"); only then does the organisation seal it, and the result carries both signatures. The
server never holds the leader's key. Without the flag nothing changes: sealed at approval."""

import datetime as dt
import io
import shutil

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from sandbox.remote_signing import account_from_pkcs12, start_in_thread

from congso.catalog.models import Procedure
from congso.core import awaiting
from congso.demo import signing as signing_demo
from congso.onestop import results, services
from congso.onestop.models import Result
from congso.signing import pki
from congso.signing import services as signing
from congso.signing.models import Certificate

from .conftest import monday_morning
from .test_result_signing import _approve, _to_leader

pytestmark = [
    pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing"),
    pytest.mark.slow,
]


@pytest.fixture
def decision(demo, settings, tmp_path):
    """Birth registration at Nghi Long whose version asks for the leader's own signature; the
    commune holds a demo seal, the leader a personal certificate."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    _root, issuing = signing_demo.ensure_authorities()
    signing_demo.issue_for_unit(demo["units"]["Xã Nghi Long"], issuing)
    procedure = Procedure.objects.get(code="1.001193")
    procedure.versions.update(result_signed_by_leader=True)
    return procedure


@pytest.fixture
def phone(demo, settings):
    """The leader signs through the CA's remote-signing service (the local sandbox)."""
    leader = demo["people"]["lanhdao.nghilong"]
    certificate = signing_demo.issue_for_user(leader, signing_demo.ensure_authorities()[1])
    p12 = pki.to_pkcs12(signing_demo.device_key(certificate), "ca-giu-khoa")
    running = start_in_thread(sp_id="congso", sp_password="s3cret")
    running.service.add_account(account_from_pkcs12("lanhdao.nghilong", p12, "ca-giu-khoa"))
    settings.CONGSO_REMOTE_SIGNING_URL = running.base_url
    settings.CONGSO_REMOTE_SIGNING_SP_ID = "congso"
    settings.CONGSO_REMOTE_SIGNING_SP_PASSWORD = "s3cret"
    signing.choose_signing_method(certificate, "remote", remote_user_id="lanhdao.nghilong")
    yield running
    running.stop()


def _validate_all(data: bytes) -> list:
    """pyHanko's own validator on every signature of ``data`` (trusting the demo root)."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    anchor = Certificate.objects.get(is_trust_anchor=True).pem.encode()
    root = asn1_x509.Certificate.load(pem.unarmor(anchor)[2])
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    reader = PdfFileReader(io.BytesIO(data))
    return [
        validate_pdf_signature(embedded, context, skip_diff=False)
        for embedded in reader.embedded_signatures
    ]


def _inbox(user) -> list[str]:
    _count, items = awaiting.awaiting(user, limit=50)
    return [i.reference for i in items if i.kind == str(results.AWAITING_KIND)]


def test_the_result_waits_for_the_leader_then_is_sealed(demo, decision, phone, intake_for):
    leader = demo["people"]["lanhdao.nghilong"]
    dossier = _approve(demo, _to_leader(demo, decision, intake_for))
    result = Result.objects.get(dossier=dossier)
    assert result.awaiting_signer == leader and not result.signed and result.signed_file is None
    assert "Chờ chữ ký số cá nhân" in result.unsigned_reason
    assert dossier.code in _inbox(leader)
    desk = demo["people"]["motcua.nghilong"]
    dossier.refresh_from_db()
    with pytest.raises(ValidationError) as refused:  # not handed over before he signs
        services.transition(dossier, "return_result", actor=desk, returned_to="A", id_checked=True)
    assert refused.value.code == "awaiting_signature"
    with pytest.raises(PermissionDenied):  # someone else may not sign in his place
        results.start_leader_signature(result, demo["people"]["congchuc.nghilong"])

    pending, step = results.start_leader_signature(result, leader)
    assert step.kind == "confirm"
    assert results.finish_leader_signature(result, leader, pending) is None  # not confirmed yet
    result.refresh_from_db()
    assert result.awaiting_signer == leader and result.signed_file is None
    phone.service.decide(pending.transaction_id, True)
    result = results.finish_leader_signature(result, leader, pending)

    result.refresh_from_db()
    assert result.signed and result.awaiting_signer is None and result.unsigned_reason == ""
    signed = result.signed_file.file.read()
    reports = signing.verify_pdf(signed)
    assert [r.intact for r in reports] == [True, True]
    assert "Nghi Long" in reports[1].signer and reports[0].signer == leader.get_full_name()
    statuses = _validate_all(signed)
    assert len(statuses) == 2 and all(s.bottom_line for s in statuses), statuses
    assert dossier.code not in _inbox(leader)


def test_a_refusal_on_the_phone_leaves_the_result_waiting(demo, decision, phone, intake_for):
    leader = demo["people"]["lanhdao.nghilong"]
    dossier = _approve(demo, _to_leader(demo, decision, intake_for))
    result = Result.objects.get(dossier=dossier)
    pending, _step = results.start_leader_signature(result, leader)
    phone.service.decide(pending.transaction_id, False)
    with pytest.raises(ValidationError):
        results.finish_leader_signature(result, leader, pending)
    result.refresh_from_db()
    assert result.awaiting_signer == leader and not result.signed


def test_without_the_flag_the_result_is_sealed_at_approval(demo, decision, intake_for):
    decision.versions.update(result_signed_by_leader=False)
    dossier = _approve(demo, _to_leader(demo, decision, intake_for))
    result = Result.objects.get(dossier=dossier)
    assert result.signed and result.awaiting_signer is None
    assert len(signing.verify_pdf(result.signed_file.file.read())) == 1
    assert monday_morning() < dossier.finished_at + dt.timedelta(days=1)


def test_the_leader_signs_from_the_dossier_page(demo, decision, phone, intake_for):
    """The page shows the way he will sign; the endpoints start, wait, then seal; the desk's
    return is possible afterwards. A JSON refusal for anyone else."""
    from django.test import Client
    from django.urls import reverse

    leader = demo["people"]["lanhdao.nghilong"]
    dossier = _approve(demo, _to_leader(demo, decision, intake_for))
    client = Client()
    client.force_login(leader)
    page = client.get(reverse("onestop:dossier", args=[dossier.code])).content.decode()
    assert 'id="sign-panel"' in page and 'data-method="remote"' in page
    other = Client()
    other.force_login(demo["people"]["congchuc.nghilong"])
    start_url = reverse("onestop:result_sign_start", args=[dossier.code])
    assert other.post(start_url).status_code in (400, 404)
    started = client.post(start_url).json()
    assert started["step"] == "confirm"
    assert client.post(started["status_url"]).json() == {"done": False}
    phone.service.decide(started["request"]["transaction_id"], True)
    done = client.post(started["status_url"]).json()
    assert done["done"] is True
    result = Result.objects.get(dossier=dossier)
    assert result.signed and len(signing.verify_pdf(result.signed_file.file.read())) == 2
    page = client.get(reverse("onestop:dossier", args=[dossier.code])).content.decode()
    assert 'id="sign-panel"' not in page and 'data-result-signed="true"' in page


def test_with_a_time_stamp_server_the_seal_after_the_leader_is_b_lt(
    demo, decision, phone, intake_for, settings
):
    """The organisation's seal over the leader's signature is at the agency's level: B-LT by
    default where a time-stamp server is configured."""
    from sandbox.tsa import start_in_thread

    issuing = signing_demo.ensure_authorities()[1]
    issued = pki.issue_tsa(pki.name("Công Sở Test TSA"), issuer=issuing)
    running = start_in_thread(issued=(issued.key, issued.certificate, [issuing.certificate]))
    settings.CONGSO_TSA_URL = running.url
    leader = demo["people"]["lanhdao.nghilong"]
    try:
        dossier = _approve(demo, _to_leader(demo, decision, intake_for))
        result = Result.objects.get(dossier=dossier)
        pending, _step = results.start_leader_signature(result, leader)
        phone.service.decide(pending.transaction_id, True)
        result = results.finish_leader_signature(result, leader, pending)
    finally:
        running.stop()
    reports = signing.verify_pdf(result.signed_file.file.read())
    assert [r.intact for r in reports] == [True, True]
    assert reports[1].level == "B-LT" and reports[1].timestamp
