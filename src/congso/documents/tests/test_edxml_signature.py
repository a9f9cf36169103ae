"""The XML signature over an edXML package: a signed package verifies (RSA and ECDSA keys) and
names its certificate; changing anything after signing, the attachment outside the envelope
included, is caught; an unsigned package is refused when a signature is required."""

import base64
import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError

from congso.documents.edxml import Attachment, Envelope, Organ, build_package, parse_package
from congso.documents.xmlsig import Signer


def signer(key) -> Signer:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "UBND huyện Nghi Lộc")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return Signer(key, certificate)


KEYS = {
    "rsa": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
    "ecdsa": lambda: ec.generate_private_key(ec.SECP256R1()),
}
ENVELOPE = Envelope(
    "A,2026/03/05,QĐ",
    Organ("000.00.15.H40", "UBND huyện Nghi Lộc"),
    [Organ("000.01.15.H40", "UBND xã Nghi Phong")],
    "125",
    "QĐ-UBND",
    "Nghi Lộc",
    dt.date(2026, 3, 5),
    "Quyết định",
    "Về việc giao chỉ tiêu",
    "Nguyễn Văn Lãnh",
    "Chủ tịch",
)
FILES = [Attachment("qd.pdf", "application/pdf", b"%PDF-1.7 original")]


@pytest.mark.parametrize("kind", sorted(KEYS))
def test_a_signed_package_verifies_and_tampering_is_caught(kind):
    who = signer(KEYS[kind]())
    xml = build_package(ENVELOPE, FILES, signer=who)
    assert b"<ds:Signature" in xml and b"<ds:X509Certificate>" in xml
    package = parse_package(xml, verify=True)
    assert package.attachments == FILES
    changed_subject = xml.replace("giao chỉ tiêu".encode(), b"giao chi tieu")
    with pytest.raises(ValidationError, match="bị thay đổi"):
        parse_package(changed_subject, verify=True)
    original = base64.b64encode(FILES[0].data)
    forged = xml.replace(original, base64.b64encode(b"%PDF-1.7 forged!!"))
    with pytest.raises(ValidationError, match="bị thay đổi"):
        parse_package(forged, verify=True)


def test_a_forged_signature_value_is_refused():
    xml = build_package(ENVELOPE, FILES, signer=signer(KEYS["rsa"]()))
    start = xml.index(b"<ds:SignatureValue>") + len(b"<ds:SignatureValue>")
    forged = xml[:start] + (b"A" if xml[start : start + 1] != b"A" else b"B") + xml[start + 1 :]
    with pytest.raises(ValidationError, match="không hợp lệ"):
        parse_package(forged, verify=True)


def test_an_unsigned_package_is_refused_when_a_signature_is_required():
    xml = build_package(ENVELOPE, FILES)
    assert parse_package(xml).attachments == FILES
    with pytest.raises(ValidationError, match="không có chữ ký"):
        parse_package(xml, verify=True)
