"""Each PAdES level with the local RFC 3161 TSA over HTTP (``sandbox.tsa``): B-B has no time-stamp,
B-T a signature time-stamp, B-LT adds the revocation data in the DSS, B-LTA a document
time-stamp after that; pyHanko reads each back and ``pdfsig`` validates the signature. An
organisation's choice is data; without one, B-LT where a TSA is configured."""

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from sandbox.tsa import start_in_thread

from congso.signing import pki, services
from congso.signing.engine import make_validation_context
from congso.signing.tests import support

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def tsa(authorities, settings):
    issued = pki.issue_tsa(
        pki.name("Công Sở Test TSA", organisation="Công Sở"), issuer=authorities[1]
    )
    running = start_in_thread(issued=(issued.key, issued.certificate, [authorities[1].certificate]))
    settings.CONGSO_TSA_URL = running.url
    yield running
    running.stop()


def _read(data: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(data), strict=False)


def _dss_revocation(reader) -> int:
    dss = reader.root.get("/DSS")
    if dss is None:
        return 0
    dss = dss.get_object()
    return len(dss.get("/OCSPs", [])) + len(dss.get("/CRLs", []))


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_each_level_is_what_it_claims(level, seal, pdf, tsa, tmp_path):
    before = tsa.authority.issued
    signed = services.sign_pdf(pdf, key=seal, level=level)
    reader = _read(signed)
    signature = reader.embedded_regular_signatures[0]
    context = make_validation_context(for_signing=False, ocsp_for=[seal.certificate])
    status = validate_pdf_signature(signature, signer_validation_context=context)
    assert status.intact and status.valid
    stamped = status.timestamp_validity is not None
    assert stamped == (level != "B-B")
    if stamped:
        assert status.timestamp_validity.intact and status.timestamp_validity.valid
    assert (_dss_revocation(reader) > 0) == (level in ("B-LT", "B-LTA"))
    document_stamps = reader.embedded_timestamp_signatures
    assert bool(document_stamps) == (level == "B-LTA")
    if document_stamps:
        ts_status = validate_pdf_timestamp(document_stamps[0], validation_context=context)
        assert ts_status.intact and ts_status.valid
    # the tokens came from the TSA over HTTP (pyHanko may also ask it for its certificates)
    assert (tsa.authority.issued > before) == stamped
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    root = services.Certificate.objects.get(is_trust_anchor=True).pem
    result = support.pdfsig(path, nssdir=support.nss_database(tmp_path / "nss", root))
    assert "Signature is Valid" in result.output, result.output
    # poppler 22 lists a document time-stamp (B-LTA) as a signature by the TSA; it does not
    # show the time-stamp token inside a signature (B-T, B-LT), which pyHanko checked above
    assert ("Công Sở Test TSA" in result.output) == (level == "B-LTA")


def test_default_level_is_b_lt_with_a_tsa_and_b_b_without(seal, settings, tree):
    settings.CONGSO_TSA_URL = ""
    assert services.level_for(tree["commune_a"]) == "B-B"
    settings.CONGSO_TSA_URL = "http://127.0.0.1:1/"
    assert services.level_for(tree["commune_a"]) == "B-LT"
    services.set_level(tree["commune_a"], "B-LTA")
    assert services.level_for(tree["commune_a"]) == "B-LTA"
    settings.CONGSO_TSA_URL = ""
    assert services.level_for(tree["commune_a"]) == "B-B"


def test_a_department_follows_its_people_s_committee(seal, settings, tree):
    settings.CONGSO_TSA_URL = "http://127.0.0.1:1/"
    services.set_level(tree["district"], "B-T")
    assert services.level_for(tree["department"]) == "B-T"
