"""What one public check may cost: too many signatures, pages or bytes are refused before any
signature is validated (the ``no_validation`` fixture fails the test otherwise), in Vietnamese.
Not timed here: a wall-clock bound fails on a loaded machine and proves less than the fixture."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congso.signing import services, verification
from congso.signing.tests import support

API = "/api/v1/signatures/verify/"


def _upload(data: bytes):
    return SimpleUploadedFile("van-ban.pdf", data, content_type="application/pdf")


@pytest.fixture(autouse=True)
def fresh_counts(db):
    cache.clear()


@pytest.fixture
def no_validation(monkeypatch):
    """Fail the test if a signature would be validated."""

    def forbidden(*args, **kwargs):
        raise AssertionError("a signature was validated")

    monkeypatch.setattr(verification, "validate_pdf_signature", forbidden)


@pytest.fixture
def many_signatures(seal, pdf):
    """A ~35 KB file with 201 signature fields (13.5 s of CPU to check before the cap)."""
    signed = services.sign_pdf(pdf, key=seal, appearance=False)
    return support.with_signature_copies(signed, 200)


def test_many_signatures_are_refused_unchecked_on_the_page(client, many_signatures, no_validation):
    assert len(many_signatures) < 64 * 1024
    response = client.post(reverse("signing:verify"), {"file": _upload(many_signatures)})
    assert response.status_code == 400
    assert "quá nhiều chữ ký để kiểm tra; tối đa 10 chữ ký" in response.content.decode()


def test_many_signatures_are_refused_unchecked_by_the_api(client, many_signatures, no_validation):
    response = client.post(API, {"file": _upload(many_signatures)})
    assert response.status_code == 400
    assert "quá nhiều chữ ký" in str(response.json()["error"])


def test_the_cap_is_a_setting_and_a_file_within_it_is_checked(
    client, settings, seal, pdf, monkeypatch
):
    signed = services.sign_pdf(pdf, key=seal, appearance=False)
    twice = services.sign_pdf(signed, key=seal, appearance=False)
    settings.CONGSO_VERIFY_MAX_SIGNATURES = 1
    assert client.post(API, {"file": _upload(twice)}).status_code == 400
    settings.CONGSO_VERIFY_MAX_SIGNATURES = 2
    response = client.post(API, {"file": _upload(twice)})
    assert response.status_code == 200 and len(response.json()["signatures"]) == 2


def test_too_many_pages_are_refused(client, settings, authorities, no_validation):
    settings.CONGSO_VERIFY_MAX_PAGES = 3
    response = client.post(
        reverse("signing:verify"), {"file": _upload(support.simple_pdf(pages=4))}
    )
    assert response.status_code == 400
    assert "quá nhiều trang để kiểm tra chữ ký; tối đa 3 trang" in response.content.decode()
    assert client.post(API, {"file": _upload(support.simple_pdf(pages=3))}).status_code == 200


def test_too_many_bytes_are_refused(client, settings, authorities, no_validation):
    data = support.simple_pdf(pages=2)
    settings.CONGSO_VERIFY_MAX_BYTES = len(data) - 1
    response = client.post(API, {"file": _upload(data)})
    assert response.status_code == 400
    assert "quá lớn để kiểm tra chữ ký" in str(response.json()["error"])
