"""The Decree 30 stamp: Vietnamese text that a PDF reader extracts back intact, in hh:mm:ss
dd/mm/yyyy with the offset, from the process-wide cached font."""

import datetime as dt
import re
import subprocess

import pytest

from congso.signing import engine, services

pytestmark = pytest.mark.slow


def _text(tmp_path, data: bytes) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_stamp_text_reads_back_in_vietnamese(on_device, pdf, tmp_path):
    text = _text(tmp_path, on_device(pdf))
    assert "Ký bởi: Nguyễn Văn Lãnh" in text
    assert "Chức vụ: Chủ tịch UBND huyện" in text
    assert "Cơ quan: UBND huyện Thử" in text
    assert re.search(r"Thời gian ký: \d\d:\d\d:\d\d \d\d/\d\d/\d{4} \+07:00", text)


def test_characters_outside_the_small_font_use_the_whole_font(seal, pdf, tmp_path):
    appearance = engine.Appearance(name="UBND xã A — 越南", organisation="Ơn Ưu")
    assert engine.factory_for(appearance.name) is engine.full_font_factory()
    signed = services.sign_pdf(pdf, key=seal, appearance=appearance)
    assert "Ơn Ưu" in _text(tmp_path, signed)
    assert services.verify_pdf(signed)[0].ok


def test_invisible_signature_has_no_stamp(seal, pdf, tmp_path):
    signed = services.sign_pdf(pdf, key=seal, appearance=False)
    assert "Ký bởi" not in _text(tmp_path, signed)
    assert services.verify_pdf(signed)[0].ok


def test_stamp_time_format():
    moment = dt.datetime(2026, 3, 5, 1, 2, 3, tzinfo=dt.UTC)
    assert engine.stamp_time(moment) == "08:02:03 05/03/2026 +07:00"


def test_font_factory_is_cached():
    assert engine.font_factory() is engine.font_factory()


def _png() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (120, 120), (255, 255, 255, 0))
    ImageDraw.Draw(image).ellipse((4, 4, 116, 116), outline=(200, 0, 0, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_seal_image_is_drawn_and_signature_stays_valid(seal, pdf, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.set_stamp_image(
        seal.certificate, SimpleUploadedFile("con-dau.png", _png(), content_type="image/png")
    )
    signed = services.sign_pdf(pdf, key=seal)
    path = tmp_path / "sealed.pdf"
    path.write_bytes(signed)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "120   120" in listing
    assert "Ký bởi: UBND xã A" in _text(tmp_path, signed)
    assert services.verify_pdf(signed)[0].ok


def test_stamp_image_must_be_an_image(seal):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="không đúng định dạng"):
        services.set_stamp_image(seal.certificate, SimpleUploadedFile("x.png", b"%PDF-1.4 no"))
