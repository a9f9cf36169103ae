"""B-LTA archives are re-time-stamped before their last time-stamp certificate expires: the
renewed file is new (the original stays), carries one more document time-stamp, and both
time-stamps verify; a file whose time-stamp has years left is not touched."""

import io

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp

from congso.signing import archive, pki, services
from congso.signing.models import SignedFile
from congso.signing.tasks import renew_archive_timestamps
from congso.signing.tests import support

pytestmark = pytest.mark.django_db


def _stamper(issuer, days):
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps import DummyTimeStamper

    tsa = pki.issue(
        pki.name(f"TSA {days} ngày", organisation="Công Sở"),
        issuer=issuer,
        usage={"digital_signature": True},
        extended_usage=[ExtendedKeyUsageOID.TIME_STAMPING],
        days=days,
    )
    der = tsa.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )

    def load(c):
        return asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))

    return DummyTimeStamper(
        tsa_cert=load(tsa.certificate),
        tsa_key=asn1_keys.PrivateKeyInfo.load(der),
        certs_to_embed=[load(issuer.certificate)],
    )


def test_archive_close_to_expiry_is_renewed_once(seal, pdf, authorities, settings):
    settings.CONGSO_TSA_URL = "http://127.0.0.1:1/"  # never called: the stampers are in-process
    short = _stamper(authorities[1], days=30)
    signed = services.sign_pdf(pdf, key=seal, level="B-LTA", timestamper=short)
    original = services.store_signed_file(signed, name="luu-tru.pdf")
    assert archive.last_timestamp_expiry(signed) is not None

    assert archive.renew_archives(timestamper=_stamper(authorities[1], days=3650)) == 1
    renewed = SignedFile.objects.get(renews=original)
    with renewed.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(signed)  # an incremental update: the original bytes are kept
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    stamps = reader.embedded_timestamp_signatures
    assert len(stamps) == 2
    assert all(validate_pdf_timestamp(s).intact for s in stamps)
    assert validate_pdf_signature(reader.embedded_regular_signatures[0]).intact
    [report] = services.verify_pdf(data)
    assert report.ok and report.level == "B-LTA" and report.modifications == "LTA_UPDATES"
    # the renewed file's time-stamp lasts ten years: nothing more to do
    assert archive.renew_archives(timestamper=short) == 0


def test_archive_with_years_left_is_left_alone(seal, pdf, authorities, settings):
    settings.CONGSO_TSA_URL = "http://127.0.0.1:1/"
    signed = services.sign_pdf(
        pdf, key=seal, level="B-LTA", timestamper=support.test_timestamper(authorities[1])
    )
    services.store_signed_file(signed, name="luu-tru.pdf")
    assert renew_archive_timestamps() == 0
