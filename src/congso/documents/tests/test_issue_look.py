"""The issued document looks as Decree 30 prescribes: the number, notation and issue date are in
the header (written at issue, before the seal), the signer's blue signature image sits between
title and name, the red seal at true size covers its left third; both signatures stay valid."""

import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from congso.demo.documents import signed_on_demo_phone
from congso.documents import services
from congso.documents.models import VersionKind
from congso.signing import services as signing
from congso.signing.layout import SIGNER_FIELD, find_field, seal_size
from congso.signing.tests import support
from congso.signing.verification import verify_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def composed(people, tree, keys):
    signing.set_stamp_image(
        keys["leader"],
        SimpleUploadedFile("chu-ky.png", support.signature_png(), "image/png"),
    )
    signing.set_stamp_image(
        keys["seal"].certificate, SimpleUploadedFile("con-dau.png", support.seal_png(), "image/png")
    )

    def make(doc_type="KH"):
        document = services.create_outgoing(
            services.Draft(
                unit=tree["district"],
                doc_type=doc_type,
                subject="Kế hoạch chuyển đổi số năm 2027",
                body="Triển khai các nhiệm vụ trọng tâm.",
                signer=people["leader"],
                signer_position="Chủ tịch",
                recipient_units=[tree["commune_a"]],
            ),
            actor=people["specialist"],
        )
        for name, who in (("submit", "specialist"), ("approve", "leader")):
            document = services.transition(document, name, actor=people[who])
        document = signed_on_demo_phone(document, people["leader"])
        return services.transition(document, "issue", actor=people["clerk"])

    return make


def _text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def _reader(data: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(data), strict=False)


def test_header_carries_number_and_issue_date_only_after_issue(composed):
    document = composed()
    draft = document.versions.get(kind=VersionKind.DRAFT).read()
    final = document.versions.get(kind=VersionKind.ISSUED).read()
    assert "/KH-UBND" in _text(draft) and "01/KH-UBND" not in _text(draft)
    text = _text(final)
    assert "Số:01/KH-UBND" in text.replace(" ", "")
    day = document.issued_on
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    assert f"ngày {day.day:02d} tháng {month} năm {day.year}" in text


def test_number_written_in_the_header_leaves_the_personal_signature_intact(composed):
    final = composed().versions.get(kind=VersionKind.ISSUED).read()
    reports = verify_bytes(final)
    assert len(reports) == 2
    assert all(report.intact for report in reports), [r.__dict__ for r in reports]
    from pyhanko.sign.validation import validate_pdf_signature

    reader = _reader(final)
    personal = reader.embedded_signatures[0]
    status = validate_pdf_signature(personal)
    assert status.intact and status.valid
    # filling the header is form filling, which a signature made before allows
    assert status.modification_level.name == "FORM_FILLING"
    assert status.docmdp_ok


def test_signature_image_between_title_and_name_and_seal_over_its_left_third(composed, tmp_path):
    document = composed()
    final = document.versions.get(kind=VersionKind.ISSUED).read()
    reader = _reader(final)
    signer = find_field(reader.root, SIGNER_FIELD)
    seal = find_field(reader.root, "ChuKySo2")
    assert signer is not None and seal is not None and signer.page == seal.page
    # the seal's right edge one third into the signature image, at its true size (36 mm)
    third = signer.box[0] + signer.width / 3
    assert abs(seal.box[2] - third) <= 1.5
    true_w, _true_h = seal_size(support.seal_png())
    assert abs(seal.width - true_w) <= 1.5 and abs(true_w - 36 / 25.4 * 72) < 1
    assert seal.box[1] < (signer.box[1] + signer.box[3]) / 2 < seal.box[3]
    path = tmp_path / "final.pdf"
    path.write_bytes(final)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "300   120" in listing  # the signature image
    side = round(36 / 25.4 * 150)
    assert f"{side}   {side}" in listing  # the seal


def test_rendered_page_shows_blue_signature_and_red_seal(composed, tmp_path):
    final = composed().versions.get(kind=VersionKind.ISSUED).read()
    reader = _reader(final)
    signer = find_field(reader.root, SIGNER_FIELD)
    seal = find_field(reader.root, "ChuKySo2")
    path = tmp_path / "final.pdf"
    path.write_bytes(final)
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    height = page.height

    def pixels(box):
        x1, y1, x2, y2 = (int(v) for v in box)
        return [page.getpixel((x, height - y)) for x in range(x1, x2) for y in range(y1 + 1, y2)]

    right_of_seal = (seal.box[2] + 2, signer.box[1], signer.box[2], signer.box[3])
    blue = [p for p in pixels(right_of_seal) if p[2] > 150 and p[0] < 80 and p[1] < 80]
    red = [p for p in pixels(seal.box) if p[0] > 180 and p[1] < 80 and p[2] < 80]
    assert len(blue) > 20, "no blue signature strokes right of the seal"
    assert len(red) > 100, "no red seal"


def test_stamp_labels_say_what_they_are_without_images(issued):
    """A draft uploaded as PDF has no signer block: the stamps carry text, each label true."""
    final = issued().versions.get(kind=VersionKind.ISSUED).read()
    text = _text(final)
    assert "Số, ký hiệu: 01/QĐ-UBND" in text
    assert "Chức vụ: Số" not in text and "Cơ quan: 0" not in text


def test_issued_at_b_lt_where_a_time_stamp_server_is_configured(composed, keys, settings):
    from pyhanko.sign.validation import validate_pdf_signature
    from sandbox.tsa import start_in_thread

    from congso.signing import pki
    from congso.signing import services as signing_services
    from congso.signing.models import Certificate

    intermediate = Certificate.objects.filter(kind="ca", is_trust_anchor=False).first()
    issuer = signing_services.held_key(intermediate.key)
    tsa = pki.issue_tsa(pki.name("TSA thử", organisation="Công Sở"), issuer=issuer)
    running = start_in_thread(issued=(tsa.key, tsa.certificate, [issuer.certificate]))
    settings.CONGSO_TSA_URL = running.url
    try:
        final = composed().versions.get(kind=VersionKind.ISSUED).read()
    finally:
        running.stop()
    reader = _reader(final)
    seal = reader.embedded_regular_signatures[-1]
    status = validate_pdf_signature(seal)
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
    dss = reader.root["/DSS"].get_object()
    assert len(dss.get("/OCSPs", [])) + len(dss.get("/CRLs", [])) > 0
    # after the seal only the validation data (DSS) was appended
    assert status.coverage.name == "ENTIRE_REVISION"
    assert status.modification_level.name == "LTA_UPDATES"
