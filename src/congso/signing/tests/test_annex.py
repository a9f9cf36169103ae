"""The organisation's signature on an annex in a separate file (Decree 30, annex I): top right of
page 1, number/notation and signing time in Times 10, no image; pdfsig agrees it is valid."""

import re
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError

from congso.signing import engine, services
from congso.signing.models import Certificate, SignatureRecord
from congso.signing.tests import support

pytestmark = pytest.mark.slow

TIME = r"\d\d:\d\d:\d\d \d\d/\d\d/\d{4} \+07:00"


def _bbox_words(tmp_path, data: bytes) -> list[tuple[str, float, float, int]]:
    """(word, x, y from the top, page) of every word, read back by poppler."""
    path = tmp_path / "annex.pdf"
    path.write_bytes(data)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words, page = [], -1
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        found = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)".*?>(.*?)</word>', line)
        if found:
            words.append((found[3], float(found[1]), float(found[2]), page))
    return words


@pytest.fixture
def annex_pdf():
    return support.simple_pdf("Phu luc", pages=2)


def test_annex_block_is_top_right_of_page_one(seal, annex_pdf, tmp_path):
    signed = services.sign_pdf(annex_pdf, key=seal, layout="annex", notation="12/QĐ-UBND")
    words = _bbox_words(tmp_path, signed)
    [notation] = [w for w in words if w[0] == "12/QĐ-UBND"]
    _text, x, y, page = notation
    assert page == 0 and x > 595 / 2 and y < 842 / 4
    text = " ".join(w[0] for w in words if w[3] == 0 and w[2] < 842 / 4)
    assert re.search(TIME, text), text
    assert "Ký bởi" not in text
    [report] = services.verify_pdf(signed)
    assert report.ok
    assert SignatureRecord.objects.get().certificate == seal.certificate


def test_annex_block_has_no_image_even_when_the_seal_has_one(seal, annex_pdf):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (50, 50), (200, 0, 0, 255)).save(out, "PNG")
    services.set_stamp_image(
        seal.certificate, SimpleUploadedFile("dau.png", out.getvalue(), "image/png")
    )
    with_image = services.sign_pdf(annex_pdf, key=seal)
    annex = services.sign_pdf(annex_pdf, key=seal, layout="annex", notation="12/QĐ-UBND")
    assert b"/Subtype /Image" in with_image
    assert b"/Subtype /Image" not in annex


def test_annex_font_is_times_ten_points(seal, annex_pdf):
    style, params = engine.stamp_style(engine.annex_appearance("12/QĐ-UBND"))
    assert style.text_box_style.font_size == 10 and style.border_width == 0
    assert style.background is None
    assert engine.FONT_FILE.endswith("texgyretermes-regular.otf")
    assert params["notation"] == "12/QĐ-UBND"


def test_annex_box_follows_the_page_size():
    assert engine.annex_box(engine.A4) == (352, 741, 552, 785)
    left, bottom, right, top = engine.annex_box((0, 0, 842, 595))  # landscape
    assert right == 842 - 43 and top == 595 - 57


@pytest.mark.parametrize(
    ("options", "message"),
    [({"layout": "annex"}, "số, ký hiệu"), ({"layout": "sideways"}, "Kiểu hiển thị")],
)
def test_bad_annex_requests_are_refused(seal, annex_pdf, options, message):
    with pytest.raises(ValidationError, match=message):
        services.sign_pdf(annex_pdf, key=seal, **options)
    assert not SignatureRecord.objects.exists()


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing")
@pytest.mark.parametrize("level", ["B-B", "B-LT"])
def test_pdfsig_says_the_annex_signature_is_valid_and_trusted(
    seal, annex_pdf, timestamper, tmp_path, level
):
    signed = services.sign_pdf(
        annex_pdf,
        key=seal,
        layout="annex",
        notation="12/QĐ-UBND",
        level=level,
        timestamper=timestamper,
    )
    path = tmp_path / "annex.pdf"
    path.write_bytes(signed)
    root = Certificate.objects.get(is_trust_anchor=True).pem
    result = support.pdfsig(path, nssdir=support.nss_database(tmp_path / "nss", root))
    assert result.signature_valid and result.certificate_trusted, result.output
