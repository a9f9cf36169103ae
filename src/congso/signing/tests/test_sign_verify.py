"""PAdES B-B, B-T and B-LT signatures verify as intact and trusted: the official's (made on their
own device) and the organisation's (a key the server holds); the server never signs for a person."""

import pytest

from congso.core.models import AuditRecord
from congso.signing import services
from congso.signing.models import SignatureRecord

pytestmark = pytest.mark.slow


def test_b_b_with_stamp_verifies_trusted(personal, on_device, pdf):
    signed = on_device(pdf, reason="Phê duyệt")
    [report] = services.verify_pdf(signed)
    assert report.signer == "Nguyễn Văn Lãnh"
    assert report.intact and report.trusted and not report.revoked
    assert report.covers_whole_document and report.ok
    assert report.timestamp is None
    assert "hợp lệ" in report.bottom_line
    record = SignatureRecord.objects.get()
    assert record.level == "B-B" and record.signer == personal.owner_user
    assert AuditRecord.objects.filter(action="signing.signed").count() == 1


def test_b_t_carries_a_timestamp(seal, pdf, timestamper):
    signed = services.sign_pdf(pdf, key=seal, level="B-T", timestamper=timestamper)
    [report] = services.verify_pdf(signed)
    assert report.timestamp is not None
    assert report.ok


def test_b_lt_embeds_validation_data(seal, pdf, timestamper):
    signed = services.sign_pdf(pdf, key=seal, level="B-LT", timestamper=timestamper)
    assert b"/DSS" in signed
    assert b"/CRLs" in signed
    [report] = services.verify_pdf(signed)
    assert report.ok and report.covers_whole_document


def test_personal_then_seal_both_reported(on_device, seal, pdf):
    once = on_device(pdf)
    twice = services.sign_pdf(once, key=seal)
    first, second = services.verify_pdf(twice)
    assert first.field_name == "ChuKySo1" and second.field_name == "ChuKySo2"
    assert second.signer == "UBND xã A"
    assert first.ok and second.ok


def test_unsigned_pdf_has_no_reports(authorities, pdf):
    assert services.verify_pdf(pdf) == []


@pytest.mark.parametrize("level", ["B-T", "B-LT"])
def test_timestamp_level_without_tsa_is_refused(seal, pdf, settings, level):
    settings.CONGSO_TSA_URL = ""
    with pytest.raises(services.ValidationError, match="dấu thời gian"):
        services.sign_pdf(pdf, key=seal, level=level)
    assert not SignatureRecord.objects.exists()
