"""The public verification page and ``POST /api/v1/signatures/verify/``."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congso.signing import services

pytestmark = pytest.mark.slow

API = "/api/v1/signatures/verify/"


def _upload(data: bytes, name: str = "van-ban.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_page_reports_a_trusted_signature(client, on_device, pdf):
    signed = on_device(pdf)
    page = client.get(reverse("signing:verify"))
    assert page.status_code == 200
    response = client.post(reverse("signing:verify"), {"file": _upload(signed)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Văn Lãnh" in html and "Chữ ký số hợp lệ" in html
    assert '<th scope="row">' in html and "<caption>" in html


def test_page_unsigned_pdf(client, authorities, pdf):
    response = client.post(reverse("signing:verify"), {"file": _upload(pdf)})
    assert "không có chữ ký số" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not a pdf", "không đúng định dạng"),
        (b"%PDF-1.7\n garbage without trailer", "không phải PDF hợp lệ"),
    ],
)
def test_page_bad_file_is_400_with_message(client, authorities, data, message):
    response = client.post(reverse("signing:verify"), {"file": _upload(data)})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_api_returns_each_signature(client, on_device, seal, pdf, timestamper):
    signed = services.sign_pdf(on_device(pdf), key=seal, level="B-T", timestamper=timestamper)
    response = client.post(API, {"file": _upload(signed)})
    assert response.status_code == 200
    body = response.json()
    first, second = body["signatures"]
    assert first["signer"] == "Nguyễn Văn Lãnh" and first["timestamp"] is None
    assert first["intact"] and first["trusted"] and not first["revoked"]
    assert first["covers_whole_document"] and first["ok"]
    assert second["organisation"] == "UBND xã A" and second["timestamp"]
    assert second["covers_whole_document"] and second["ok"]
    assert body["sha256"] == services.data_sha256(signed)


def test_api_damaged_file_reports_damage(client, seal, pdf):
    signed = services.sign_pdf(pdf, key=seal)
    position = signed.index(b"trang 1")
    damaged = signed[:position] + b"X" + signed[position + 1 :]
    [report] = client.post(API, {"file": _upload(damaged)}).json()["signatures"]
    assert not report["intact"] and not report["ok"]


def test_api_encrypted_pdf_is_refused(client, authorities, pdf):
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(BytesIO(pdf)))
    writer.encrypt("chu-so-huu", "mat-khau")
    out = BytesIO()
    writer.write(out)
    response = client.post(API, {"file": _upload(out.getvalue())})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "mật khẩu" in error["message"] and "file" in error["fields"]


def test_api_without_file_is_400(client, db):
    response = client.post(API, {})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["file"]


def test_api_is_rate_limited(client, authorities, pdf, settings):
    settings.CONGSO_VERIFY_RATE = "2/min"
    codes = [client.post(API, {"file": _upload(pdf)}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
