"""Pure X.509 helpers on top of ``cryptography``: keys, CA and end-entity certificates, CRLs,
PKCS#12 archives, and the fields a ``Certificate`` row keeps. No database here.

Used by the demo PKI (``pki_demo``), by the tests and by the import of real certificates.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

KEY_USAGE_NAMES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
)
#: Either of these makes a certificate fit for signing documents.
SIGNING_USAGES = {"digital_signature", "content_commitment"}


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def name(common_name: str, *, organisation: str = "", unit: str = "", title: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, title))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _usage(**flags) -> x509.KeyUsage:
    values = {key: flags.get(key, False) for key in KEY_USAGE_NAMES}
    return x509.KeyUsage(**values, encipher_only=False, decipher_only=False)


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


def issue(
    subject: x509.Name,
    *,
    issuer: Issued | None = None,
    key: rsa.RSAPrivateKey | None = None,
    authority: bool = False,
    path_length: int | None = None,
    usage: dict | None = None,
    extended_usage: list | None = None,
    not_before: dt.datetime | None = None,
    days: int = 3 * 365,
    ocsp_url: str = "",
    crl_url: str = "",
) -> Issued:
    """Issue one certificate; ``issuer=None`` makes a self-signed root. ``ocsp_url`` and
    ``crl_url`` are written into the certificate (AIA and CRL distribution point, RFC 5280
    §4.2.2.1 and §4.2.1.13) so that any validator — pdfsig, Adobe, pyHanko — can ask the CA."""
    key = key or new_key()
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    signer_cert = issuer.certificate if issuer else None
    signer_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(signer_cert.subject if signer_cert else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(
            x509.BasicConstraints(ca=authority, path_length=path_length if authority else None),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if signer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_cert.public_key()),
            critical=False,
        )
    if usage is None:
        usage = (
            {"key_cert_sign": True, "crl_sign": True, "digital_signature": True}
            if authority
            else {"digital_signature": True, "content_commitment": True}
        )
    builder = builder.add_extension(_usage(**usage), critical=True)
    if extended_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(extended_usage), critical=True)
    builder = _where_to_ask(builder, ocsp_url, crl_url)
    return Issued(builder.sign(signer_key, hashes.SHA256()), key)


def _where_to_ask(builder: x509.CertificateBuilder, ocsp_url: str, crl_url: str):
    if ocsp_url:
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [x509.AccessDescription(AuthorityInformationAccessOID.OCSP, _uri(ocsp_url))]
            ),
            critical=False,
        )
    if crl_url:
        point = x509.DistributionPoint([_uri(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder


def _uri(url: str) -> x509.UniformResourceIdentifier:
    return x509.UniformResourceIdentifier(url)


def ocsp_url(certificate: x509.Certificate) -> str:
    """The OCSP address the certificate names (AIA), or ``""``."""
    try:
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
    except x509.ExtensionNotFound:
        return ""
    for description in access.value:
        if description.access_method == AuthorityInformationAccessOID.OCSP:
            return description.access_location.value
    return ""


#: How long an OCSP answer may be relied on (its nextUpdate).
OCSP_VALIDITY = dt.timedelta(hours=12)


def ocsp_response(
    serial: int,
    issuer: Issued,
    *,
    revoked_at: dt.datetime | None,
    now: dt.datetime,
) -> ocsp.OCSPResponse:
    """An RFC 6960 answer about ``issuer``'s certificate ``serial``, signed by the CA itself
    (§2.6, no delegated responder): ``revoked`` when ``revoked_at`` is not after ``now``, else
    ``good``. The platform's responder and the sandbox CA's (``sandbox.ocsp``) share it."""
    revoked = revoked_at is not None and revoked_at <= now
    name_hash, key_hash = _issuer_hashes(issuer.certificate)
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=name_hash,
        issuer_key_hash=key_hash,
        serial_number=serial,
        algorithm=hashes.SHA1(),  # noqa: S303 - the CertID hash RFC 6960 clients expect
        cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
        this_update=now - dt.timedelta(minutes=1),
        next_update=now + OCSP_VALIDITY,
        revocation_time=revoked_at if revoked else None,
        revocation_reason=None,
    )
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, issuer.certificate)
    builder = builder.certificates([issuer.certificate])
    return builder.sign(issuer.key, hashes.SHA256())


def _issuer_hashes(certificate: x509.Certificate, algorithm=None) -> tuple[bytes, bytes]:
    """SHA-1 (or ``algorithm``) of the CA's subject and of its public key bits: its CertID."""
    from asn1crypto import x509 as asn1_x509

    algorithm = algorithm or hashes.SHA1()  # noqa: S303 - see above
    key_bits = (
        asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
        .public_key["public_key"]
        .contents[1:]
    )
    digests = []
    for data in (certificate.subject.public_bytes(), key_bits):
        digest = hashes.Hash(algorithm)
        digest.update(data)
        digests.append(digest.finalize())
    return digests[0], digests[1]


def names_issuer(request: ocsp.OCSPRequest, issuer: x509.Certificate) -> bool:
    """Does an OCSP request's CertID name ``issuer``?"""
    hashes_of_issuer = _issuer_hashes(issuer, request.hash_algorithm)
    return (request.issuer_name_hash, request.issuer_key_hash) == hashes_of_issuer


def issue_tsa(subject: x509.Name, *, issuer: Issued) -> Issued:
    """A time-stamp authority's certificate (critical EKU timeStamping, RFC 3161 §2.3)."""
    return issue(
        subject,
        issuer=issuer,
        usage={"digital_signature": True},
        extended_usage=[ExtendedKeyUsageOID.TIME_STAMPING],
    )


def crl(issuer: Issued, revoked: list[tuple[int, dt.datetime]], *, days: int = 7) -> bytes:
    """A DER CRL from ``issuer`` listing ``(serial, revoked_at)`` pairs."""
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + dt.timedelta(days=days))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.certificate.public_key()),
            critical=False,
        )
    )
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def sign_attributes(key: rsa.RSAPrivateKey, data: bytes) -> bytes:
    """What a signer's device returns for prepared CMS signed attributes: RSA PKCS#1 v1.5 over
    their SHA-256 (the value ``signing.external.complete`` embeds)."""
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def to_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def to_pkcs12(issued: Issued, passphrase: str, *, label: str = "congso") -> bytes:
    return pkcs12.serialize_key_and_certificates(
        label.encode(),
        issued.key,
        issued.certificate,
        None,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


def from_pkcs12(data: bytes, passphrase: str) -> Issued:
    key, certificate, _others = pkcs12.load_key_and_certificates(data, passphrase.encode())
    return Issued(certificate, key)


def fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def key_usages(certificate: x509.Certificate) -> list[str]:
    try:
        ext = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return []
    return [usage for usage in KEY_USAGE_NAMES if getattr(ext, usage)]


def attribute(subject: x509.Name, oid) -> str:
    values = subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def describe(certificate: x509.Certificate) -> dict:
    """The fields a ``Certificate`` row keeps, read from the certificate itself."""
    return {
        "pem": to_pem(certificate),
        "fingerprint": fingerprint(certificate),
        "subject": certificate.subject.rfc4514_string()[:500],
        "common_name": attribute(certificate.subject, NameOID.COMMON_NAME)[:200],
        "issuer": certificate.issuer.rfc4514_string()[:500],
        "serial": format(certificate.serial_number, "x"),
        "not_before": certificate.not_valid_before_utc,
        "not_after": certificate.not_valid_after_utc,
        "key_usage": key_usages(certificate),
    }


def load_pem(pem: str | bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode() if isinstance(pem, str) else pem)


def load_any(data: bytes) -> x509.Certificate:
    """A certificate from PEM or DER bytes (``ValueError`` if it is neither)."""
    if b"-----BEGIN" in data[:200]:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def is_authority(certificate: x509.Certificate) -> bool:
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False
