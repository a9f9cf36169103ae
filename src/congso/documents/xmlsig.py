"""The XML signature (W3C XML-DSig, enveloped) over an edXML package, with lxml and
cryptography (signxml is not a dependency).

Profile written: ``Reference URI=""`` with the enveloped-signature transform and exclusive
C14N, digest SHA-256; ``SignedInfo`` canonicalised with exclusive C14N; RSA-SHA256
(PKCS#1 v1.5) or ECDSA-SHA256 (``r||s`` as XML-DSig 1.1 requires); the signer's certificate in
``KeyInfo/X509Data/X509Certificate``. Read: the same, with inclusive C14N 1.0 accepted too.
The signature therefore covers the whole package, the attachments outside the envelope
included. Whether the certificate is one the platform trusts is for the caller to decide (the
``signing`` app's trust list); this module only proves the package is unchanged since it was
signed with that certificate's key.
"""

import base64
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

DS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"


@dataclass
class Signer:
    """A private key and its certificate (PEM), e.g. the unit's exchange certificate."""

    key: object
    certificate: x509.Certificate

    @classmethod
    def from_pem(cls, key_pem: bytes, certificate_pem: bytes, password: bytes | None = None):
        key = serialization.load_pem_private_key(key_pem, password=password)
        return cls(key, x509.load_pem_x509_certificate(certificate_pem))


def _refused(message: str) -> ValidationError:
    return ValidationError(message, code="edxml_signature")


def _c14n(node, algorithm: str) -> bytes:
    return etree.tostring(node, method="c14n", exclusive=algorithm == EXC_C14N, with_comments=False)


def _digest(root, algorithm: str) -> str:
    """The enveloped transform (the document without its signature), then canonicalised."""
    copy = etree.fromstring(etree.tostring(root))
    for signature in copy.iter(f"{{{DS}}}Signature"):
        signature.getparent().remove(signature)
    return base64.b64encode(hashlib.sha256(_c14n(copy, algorithm)).digest()).decode()


def _ds(parent, name: str, text: str | None = None, **attrs):
    node = etree.SubElement(parent, f"{{{DS}}}{name}", attrs)
    node.text = text
    return node


def sign(root, parent, signer: Signer) -> None:
    """Add ``ds:Signature`` under ``parent`` (the package's ``edXMLHeader``)."""
    key = signer.key
    method = ECDSA_SHA256 if isinstance(key, ec.EllipticCurvePrivateKey) else RSA_SHA256
    digest = _digest(root, EXC_C14N)
    signature = etree.SubElement(parent, f"{{{DS}}}Signature", nsmap={"ds": DS})
    info = _ds(signature, "SignedInfo")
    _ds(info, "CanonicalizationMethod", Algorithm=EXC_C14N)
    _ds(info, "SignatureMethod", Algorithm=method)
    reference = _ds(info, "Reference", URI="")
    transforms = _ds(reference, "Transforms")
    _ds(transforms, "Transform", Algorithm=ENVELOPED)
    _ds(transforms, "Transform", Algorithm=EXC_C14N)
    _ds(reference, "DigestMethod", Algorithm=SHA256)
    _ds(reference, "DigestValue", digest)
    data = _c14n(info, EXC_C14N)
    if method == RSA_SHA256:
        raw = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    else:
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        size = (key.curve.key_size + 7) // 8
        raw = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    _ds(signature, "SignatureValue", base64.b64encode(raw).decode())
    der = signer.certificate.public_bytes(serialization.Encoding.DER)
    _ds(
        _ds(_ds(signature, "KeyInfo"), "X509Data"),
        "X509Certificate",
        base64.b64encode(der).decode(),
    )


def verify(root) -> x509.Certificate:
    """The certificate whose key signed this package unchanged; ``ValidationError`` (in
    Vietnamese) when there is no signature or it does not hold."""
    signature = next(root.iter(f"{{{DS}}}Signature"), None)
    if signature is None:
        raise _refused(_("Gói edXML không có chữ ký số."))
    try:
        info = signature.find(f"{{{DS}}}SignedInfo")
        c14n = info.find(f"{{{DS}}}CanonicalizationMethod").get("Algorithm")
        method = info.find(f"{{{DS}}}SignatureMethod").get("Algorithm")
        reference = info.find(f"{{{DS}}}Reference")
        transforms = [t.get("Algorithm") for t in reference.iter(f"{{{DS}}}Transform")]
        digest_value = reference.findtext(f"{{{DS}}}DigestValue").strip()
        value = base64.b64decode(signature.findtext(f"{{{DS}}}SignatureValue"))
        der = base64.b64decode(signature.findtext(f".//{{{DS}}}X509Certificate"))
        certificate = x509.load_der_x509_certificate(der)
    except (AttributeError, TypeError, ValueError) as exc:
        raise _refused(_("Chữ ký số của gói edXML không đọc được.")) from exc
    body_c14n = EXC_C14N if EXC_C14N in transforms else C14N
    if (
        reference.get("URI") != ""
        or ENVELOPED not in transforms
        or c14n not in (EXC_C14N, C14N)
        or reference.find(f"{{{DS}}}DigestMethod").get("Algorithm") != SHA256
    ):
        raise _refused(_("Chữ ký số của gói edXML dùng thuật toán không được hỗ trợ."))
    if digest_value != _digest(root, body_c14n):
        raise _refused(_("Gói edXML đã bị thay đổi sau khi ký."))
    key, data = certificate.public_key(), _c14n(info, c14n)
    try:
        if method == RSA_SHA256 and isinstance(key, rsa.RSAPublicKey):
            key.verify(value, data, padding.PKCS1v15(), hashes.SHA256())
        elif method == ECDSA_SHA256 and isinstance(key, ec.EllipticCurvePublicKey):
            half = len(value) // 2
            der_sig = encode_dss_signature(
                int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big")
            )
            key.verify(der_sig, data, ec.ECDSA(hashes.SHA256()))
        else:
            raise _refused(_("Chữ ký số của gói edXML dùng thuật toán không được hỗ trợ."))
    except InvalidSignature as exc:
        raise _refused(_("Chữ ký số của gói edXML không hợp lệ.")) from exc
    return certificate
