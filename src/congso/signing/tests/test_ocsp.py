"""The demo PKI's OCSP responder (RFC 6960): good, revoked, unknown and junk over HTTP; B-LT
signatures embed its response; a revocation it reports shows as revoked in verification."""

import base64
import datetime as dt
import io

import pytest
from asn1crypto import ocsp as asn1_ocsp
from cryptography.hazmat.primitives import hashes
from cryptography.x509 import ocsp
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from congso.signing import pki, services
from congso.signing.revocation import ocsp_responses

pytestmark = pytest.mark.slow


def _request(certificate_pem: str, issuer) -> bytes:
    return (
        ocsp.OCSPRequestBuilder()
        .add_certificate(pki.load_pem(certificate_pem), issuer.certificate, hashes.SHA1())
        .build()
        .public_bytes(pki.serialization.Encoding.DER)
    )


def _post(client, data: bytes) -> ocsp.OCSPResponse:
    response = client.post(reverse("signing:ocsp"), data, content_type="application/ocsp-request")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ocsp-response"
    return ocsp.load_der_ocsp_response(response.content)


def test_good_then_revoked(client, authorities, seal):
    request = _request(seal.certificate.pem, authorities[1])
    answer = _post(client, request)
    assert answer.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status == ocsp.OCSPCertStatus.GOOD
    answer.certificates[0].public_key().verify(
        answer.signature,
        answer.tbs_response_bytes,
        pki_padding(),
        answer.signature_hash_algorithm,
    )
    services.revoke_certificate(seal.certificate)
    revoked = _post(client, request)
    assert revoked.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert revoked.revocation_time_utc is not None


def pki_padding():
    from cryptography.hazmat.primitives.asymmetric import padding

    return padding.PKCS1v15()


def test_get_form_of_the_request(client, authorities, seal):
    encoded = base64.b64encode(_request(seal.certificate.pem, authorities[1])).decode()
    response = client.get(reverse("signing:ocsp_get", args=[encoded]))
    answer = ocsp.load_der_ocsp_response(response.content)
    assert answer.certificate_status == ocsp.OCSPCertStatus.GOOD


def test_unknown_serial_of_our_ca(client, authorities, db):
    stranger = pki.issue(pki.name("Không có trong CSDL"), issuer=authorities[1])
    answer = _post(client, _request(pki.to_pem(stranger.certificate), authorities[1]))
    assert answer.certificate_status == ocsp.OCSPCertStatus.UNKNOWN


def test_another_ca_is_unauthorized_and_junk_is_malformed(client, authorities):
    other_ca = pki.issue(pki.name("CA khác"), authority=True)
    leaf = pki.issue(pki.name("Lá"), issuer=other_ca)
    answer = _post(client, _request(pki.to_pem(leaf.certificate), other_ca))
    assert answer.response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED
    junk = _post(client, b"\x30\x03junk")
    assert junk.response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    assert client.get("/signatures/ocsp/%%%").status_code == 200


def _dss_ocsps(signed: bytes) -> list:
    reader = PdfFileReader(io.BytesIO(signed))
    dss = reader.root["/DSS"]
    return [asn1_ocsp.OCSPResponse.load(ref.get_object().data) for ref in dss.get("/OCSPs", [])]


def test_b_lt_embeds_the_ocsp_response(seal, pdf, timestamper):
    signed = services.sign_pdf(pdf, key=seal, level="B-LT", timestamper=timestamper)
    responses = _dss_ocsps(signed)
    assert responses, "no OCSP response in the DSS"
    serials = {
        single["cert_id"]["serial_number"].native
        for response in responses
        for single in response.basic_ocsp_response["tbs_response_data"]["responses"]
    }
    assert int(seal.certificate.serial, 16) in serials
    assert services.verify_pdf(signed)[0].ok


def test_revocation_reported_by_ocsp_and_by_verification(seal, pdf, timestamper, authorities):
    signed = services.sign_pdf(pdf, key=seal, level="B-T", timestamper=timestamper)
    services.revoke_certificate(seal.certificate, at=timezone.now() - dt.timedelta(hours=1))
    [response] = ocsp_responses([seal.certificate])
    answer = ocsp.load_der_ocsp_response(response.dump())
    assert answer.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert answer.revocation_time_utc == seal.certificate.revoked_at.replace(microsecond=0)
    authorities[1].certificate.public_key().verify(
        answer.signature, answer.tbs_response_bytes, pki_padding(), answer.signature_hash_algorithm
    )
    [report] = services.verify_pdf(signed)
    assert report.revoked and not report.trusted and not report.ok


@pytest.mark.parametrize("level", ["B-B", "B-LT"])
def test_signing_still_refuses_a_revoked_certificate(seal, pdf, timestamper, level):
    from django.core.exceptions import ValidationError

    services.revoke_certificate(seal.certificate)
    with pytest.raises(ValidationError, match="thu hồi"):
        services.sign_pdf(pdf, key=seal, level=level, timestamper=timestamper)


def test_demo_certificates_name_the_platform_responder(client, authorities, tree, settings):
    """With ``CONGSO_DEMO_OCSP_URL`` (the platform's own address outside tests) the demo CA
    writes its responder into each certificate's AIA, and that address answers about it."""
    from congso.demo import signing as demo

    address = f"http://testserver{reverse('signing:ocsp')}"
    settings.CONGSO_DEMO_OCSP_URL = address
    certificate = demo.issue_for_unit(tree["commune_b"], authorities[1], days=365)
    assert pki.ocsp_url(pki.load_pem(certificate.pem)) == address
    answer = _post(client, _request(certificate.pem, authorities[1]))
    assert answer.certificate_status == ocsp.OCSPCertStatus.GOOD
