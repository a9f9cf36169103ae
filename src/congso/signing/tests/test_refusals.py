"""Certificates that may not sign are refused before signing, in Vietnamese; bad PDFs too."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congso.core.models import AuditRecord
from congso.demo import signing as demo
from congso.signing import pki, services
from congso.signing.models import SignatureRecord

pytestmark = pytest.mark.slow


def _refused(key, pdf, message):
    with pytest.raises(ValidationError, match=message):
        services.sign_pdf(pdf, key=key)
    assert not SignatureRecord.objects.exists()
    assert not AuditRecord.objects.filter(action="signing.signed").exists()


def test_expired_certificate(authorities, tree, pdf):
    start = timezone.now() - dt.timedelta(days=400)
    certificate = demo.issue_for_unit(tree["commune_b"], authorities[1], not_before=start, days=365)
    _refused(certificate.key, pdf, "đã hết hạn ngày")


def test_revoked_certificate(seal, pdf):
    services.revoke_certificate(seal.certificate)
    _refused(seal, pdf, "đã bị thu hồi")
    assert AuditRecord.objects.filter(action="signing.certificate_revoked").exists()


def test_certificate_not_for_signing(authorities, tree, pdf):
    certificate = demo.issue_for_unit(
        tree["commune_b"], authorities[1], usage={"key_encipherment": True}
    )
    _refused(certificate.key, pdf, "không dùng để ký văn bản")


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"not a pdf at all", "không phải PDF hợp lệ"), (b"%PDF-1.4\n%%EOF", "không phải PDF hợp lệ")],
)
def test_broken_pdf_is_refused(seal, data, message):
    _refused(seal, data, message)


def test_revoked_after_signing_shows_in_verification(seal, pdf, timestamper):
    signed = services.sign_pdf(pdf, key=seal, level="B-T", timestamper=timestamper)
    services.revoke_certificate(seal.certificate, at=timezone.now() - dt.timedelta(minutes=10))
    [report] = services.verify_pdf(signed)
    assert report.revoked and not report.trusted and not report.ok
    assert "thu hồi" in report.bottom_line


def test_unknown_root_is_not_trusted(seal, pdf):
    from congso.signing.models import Certificate

    signed = services.sign_pdf(pdf, key=seal)
    Certificate.objects.filter(is_trust_anchor=True).update(is_trust_anchor=False)
    [report] = services.verify_pdf(signed)
    assert report.intact and not report.trusted and not report.ok
    assert "không được một tổ chức tin cậy" in report.bottom_line


def test_pkcs12_with_the_wrong_key_is_refused(seal, authorities):
    other = pki.issue(pki.name("Khác"), issuer=authorities[1])
    with pytest.raises(ValidationError, match="không chứa khoá"):
        services.store_pkcs12_key(seal.certificate, pki.to_pkcs12(other, services.passphrase()))


def test_the_server_never_holds_a_persons_key(personal, pdf):
    """No file, no database row, no token on the server for an official's key; a row an
    earlier version left signs nothing."""
    from congso.demo import signing as demo
    from congso.signing.models import KeyBackend, SigningKey

    issued = demo.device_key(personal)
    on_server = "không được giữ trên máy chủ"
    with pytest.raises(ValidationError, match=on_server):
        services.store_private_key(personal, issued.key)
    with pytest.raises(ValidationError, match=on_server):
        services.import_pkcs12(
            pki.to_pkcs12(issued, "ncc"),
            password="ncc",
            kind="personal",
            owner_user=personal.owner_user,
        )
    with pytest.raises(ValidationError, match=on_server):
        services.register_pkcs11_key(personal, module_path="/x.so", token_label="t", key_label="k")
    assert not SigningKey.objects.filter(certificate=personal).exists()
    left = SigningKey.objects.create(certificate=personal, backend=KeyBackend.PKCS12, key_file="x")
    with pytest.raises(ValidationError, match=on_server):
        services.sign_pdf(pdf, key=left)


def test_bad_pem_is_refused(db):
    with pytest.raises(ValidationError, match="PEM"):
        services.import_certificate("-----BEGIN CERTIFICATE-----\nxx", kind="ca")


def test_not_yet_valid_certificate(authorities, tree, pdf):
    start = timezone.now() + dt.timedelta(days=10)
    certificate = demo.issue_for_unit(tree["commune_b"], authorities[1], not_before=start)
    _refused(certificate.key, pdf, "chưa đến thời hạn hiệu lực")


def test_a_ca_certificate_may_not_sign(authorities, pdf):
    from congso.signing.models import Certificate

    authority = Certificate.objects.get(common_name=demo.INTERMEDIATE_CN)
    _refused(authority.key, pdf, "không dùng để ký văn bản")


def test_annex_and_b_lt_refuse_a_revoked_seal_too(seal, pdf, timestamper):
    services.revoke_certificate(seal.certificate)
    for options in ({"layout": "annex", "notation": "12/QĐ-UBND"}, {"level": "B-LT"}):
        with pytest.raises(ValidationError, match="đã bị thu hồi"):
            services.sign_pdf(pdf, key=seal, timestamper=timestamper, **options)
    assert not SignatureRecord.objects.exists()
