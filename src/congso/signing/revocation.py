"""CRLs and OCSP responses of the CAs whose keys the platform holds (the demo PKI, or a unit's
own CA).

A CRL is regenerated only when the set of revocations changes, so signing at B-LT and verifying
stay cheap. Government CAs publish their own CRLs; those are fetched only when
``CONGSO_SIGNING_FETCH_REVOCATION`` is on.
"""

import datetime as dt
from functools import lru_cache

from asn1crypto import crl as asn1_crl
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509 import ocsp

from . import pki


def _authorities():
    """The CA rows whose key the platform holds (sealed in the database)."""
    from .models import Certificate, CertificateKind, KeyBackend

    return Certificate.objects.filter(
        kind=CertificateKind.AUTHORITY, key__backend=KeyBackend.DATABASE
    ).select_related("key")


def _held(authority) -> pki.Issued | None:
    """``authority``'s certificate and key, or None when its blob does not open here."""
    from django.core.exceptions import ValidationError

    from .services import held_key

    try:
        return held_key(authority.key)
    except ValidationError:
        return None


def current_crls() -> list[asn1_crl.CertificateList]:
    """A CRL per CA the platform runs, regenerated only when a revocation changes."""
    from .models import Certificate

    authorities = tuple(_authorities())
    revoked = tuple(
        Certificate.objects.filter(revoked_at__isnull=False)
        .order_by("pk")
        .values_list("issuer", "serial", "revoked_at")
    )
    lists = []
    for authority in authorities:
        issuer = _held(authority)
        if issuer is not None:
            lists.append(_crl(authority.subject, issuer, revoked))
    return lists


@lru_cache(maxsize=8)
def _crl(subject: str, issuer: pki.Issued, revoked: tuple) -> asn1_crl.CertificateList:
    entries = [(int(serial, 16), at) for iss, serial, at in revoked if iss == subject]
    return asn1_crl.CertificateList.load(pki.crl(issuer, entries))


# ---------------------------------------------------------------- OCSP (RFC 6960)
#
# A small responder for the CAs whose keys the platform holds: the answer is built from the
# database's revocations and signed by the issuing CA itself (RFC 6960 §2.6, no delegated
# responder certificate). It serves the ``signing:ocsp`` view and the B-LT signatures, which embed
# the response for the signer's certificate beside the CRLs.

OCSP_VALIDITY = pki.OCSP_VALIDITY


def _issuer_with_key(certificate) -> pki.Issued | None:
    """The CA that issued ``certificate`` (a row), if the platform holds its key."""
    authority = _authorities().filter(subject=certificate.issuer).first()
    issued = _held(authority) if authority is not None else None
    if issued is None:
        return None
    subject_cert = pki.load_pem(certificate.pem)
    try:
        subject_cert.verify_directly_issued_by(issued.certificate)
    except (ValueError, TypeError, InvalidSignature):
        return None
    return issued


def _response_for(certificate, issuer: pki.Issued, now: dt.datetime) -> ocsp.OCSPResponse:
    return pki.ocsp_response(
        int(certificate.serial, 16), issuer, revoked_at=certificate.revoked_at, now=now
    )


def ocsp_response_for(certificate, *, now: dt.datetime | None = None) -> bytes | None:
    """A signed DER OCSP response about ``certificate`` (a row), or ``None`` when the platform
    does not hold the key of its issuer (a government CA answers for its own)."""
    issuer = _issuer_with_key(certificate)
    if issuer is None:
        return None
    moment = now or dt.datetime.now(dt.UTC)
    return _response_for(certificate, issuer, moment).public_bytes(serialization.Encoding.DER)


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
        serialization.Encoding.DER
    )


def answer_ocsp_request(data: bytes) -> bytes:
    """The DER response to a DER OCSP request: malformed, unauthorized (not our CA), good,
    revoked or unknown (our CA, a serial we never issued)."""
    from .models import Certificate

    try:
        request = ocsp.load_der_ocsp_request(data)
        serial = format(request.serial_number, "x")
        request.hash_algorithm  # noqa: B018 - an unknown hash algorithm is a malformed request
    except Exception:  # noqa: BLE001 - any parse failure is a malformed request
        return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    for certificate in Certificate.objects.filter(serial=serial):
        issuer = _issuer_with_key(certificate)
        if issuer is not None and pki.names_issuer(request, issuer.certificate):
            now = dt.datetime.now(dt.UTC)
            return _response_for(certificate, issuer, now).public_bytes(serialization.Encoding.DER)
    issuer = _our_authority(request)
    if issuer is None:
        return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    return _unknown(issuer, request.serial_number)


def _our_authority(request: ocsp.OCSPRequest) -> pki.Issued | None:
    """The CA the platform runs that the request's CertID names, if any."""
    for authority in _authorities():
        issued = _held(authority)
        if issued is not None and pki.names_issuer(request, issued.certificate):
            return issued
    return None


def _unknown(issuer: pki.Issued, serial: int) -> bytes:
    """``unknown`` for a serial our CA never issued; built by hand because ``cryptography``
    needs the certificate itself to describe it."""
    from asn1crypto import ocsp as asn1_ocsp
    from asn1crypto import x509 as asn1_x509

    issuer_asn1 = asn1_x509.Certificate.load(
        issuer.certificate.public_bytes(serialization.Encoding.DER)
    )
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    single = {
        "cert_id": {
            "hash_algorithm": {"algorithm": "sha1"},
            "issuer_name_hash": issuer_asn1.subject.sha1,
            "issuer_key_hash": issuer_asn1.public_key.sha1,
            "serial_number": serial,
        },
        "cert_status": asn1_ocsp.CertStatus(name="unknown", value=None),
        "this_update": now,
        "next_update": now + OCSP_VALIDITY,
    }
    data = asn1_ocsp.ResponseData(
        {
            "responder_id": asn1_ocsp.ResponderId(name="by_key", value=issuer_asn1.public_key.sha1),
            "produced_at": now,
            "responses": [single],
        }
    )
    signature = issuer.key.sign(data.dump(), padding.PKCS1v15(), hashes.SHA256())
    basic = asn1_ocsp.BasicOCSPResponse(
        {
            "tbs_response_data": data,
            "signature_algorithm": {"algorithm": "sha256_rsa"},
            "signature": signature,
            "certs": [issuer_asn1],
        }
    )
    return asn1_ocsp.OCSPResponse(
        {
            "response_status": "successful",
            "response_bytes": {"response_type": "basic_ocsp_response", "response": basic},
        }
    ).dump()


def ocsp_responses(certificates) -> list:
    """asn1crypto OCSP responses for the rows ``certificates`` whose issuer key we hold."""
    from asn1crypto import ocsp as asn1_ocsp

    responses = []
    for certificate in certificates:
        der = ocsp_response_for(certificate)
        if der is not None:
            responses.append(asn1_ocsp.OCSPResponse.load(der))
    return responses
