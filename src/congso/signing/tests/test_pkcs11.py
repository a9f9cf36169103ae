"""Signing with a key on a real SoftHSM2 token; a wrong PIN or an absent token signs nothing."""

import shutil
from pathlib import Path

import pytest

from congso.demo import signing as demo
from congso.signing import pki, services
from congso.signing.models import CertificateKind, SignatureRecord
from congso.signing.tests import support

pytestmark = [
    pytest.mark.skipif(
        not Path(support.SOFTHSM_MODULE).exists() or shutil.which("softhsm2-util") is None,
        reason="SoftHSM2 missing",
    ),
    pytest.mark.slow,
]


def test_token_signature_verifies(token_key, pdf):
    key, token = token_key
    signed = services.sign_pdf(pdf, key=key, pin=token.pin, reason="Đóng dấu")
    [report] = services.verify_pdf(signed)
    assert report.signer == "UBND xã A" and report.ok
    assert key.key_file == "" and token.pin not in str(key.__dict__)


def test_wrong_pin_signs_nothing(token_key, pdf):
    key, _token = token_key
    with pytest.raises(services.ValidationError, match="PIN .*không đúng"):
        services.sign_pdf(pdf, key=key, pin="0000")
    assert not SignatureRecord.objects.exists()


def test_absent_token_signs_nothing(token_key, pdf):
    key, token = token_key
    key.token_label = "token-da-rut"
    with pytest.raises(services.ValidationError, match="Không tìm thấy thiết bị ký số"):
        services.sign_pdf(pdf, key=key, pin=token.pin)
    assert not SignatureRecord.objects.exists()


def test_pin_is_required(token_key, pdf):
    key, _token = token_key
    with pytest.raises(services.ValidationError, match="mã PIN"):
        services.sign_pdf(pdf, key=key)


def test_database_and_token_keys_coexist(token_key, authorities, tree, pdf):
    key, token = token_key
    seal_b = demo.issue_for_unit(tree["commune_b"], authorities[1]).key
    signed = services.sign_pdf(services.sign_pdf(pdf, key=seal_b), key=key, pin=token.pin)
    reports = services.verify_pdf(signed)
    assert [r.ok for r in reports] == [True, True], reports


def test_key_not_matching_the_certificate_is_refused(token_key, authorities, tree, pdf):
    key, token = token_key
    other = pki.issue(pki.name("UBND xã B", organisation="UBND xã B"), issuer=authorities[1])
    certificate = services.import_certificate(
        pki.to_pem(other.certificate),
        kind=CertificateKind.ORGANISATION,
        owner_unit=tree["commune_b"],
    )
    wrong = services.register_pkcs11_key(
        certificate,
        module_path=support.SOFTHSM_MODULE,
        token_label=key.token_label,
        key_label=key.key_label,
    )
    with pytest.raises(services.ValidationError, match="không khớp"):
        services.sign_pdf(pdf, key=wrong, pin=token.pin)
    assert not SignatureRecord.objects.exists()
