"""Approved minutes are issued as an A4 Decree 30 PDF signed with the host's seal (pdfsig says
valid and trusted); without a seal they are issued unsigned and the page says why."""

import hashlib
import shutil
import subprocess

import pytest
from django.urls import reverse

from congso.demo import signing as signing_demo
from congso.meetings import services
from congso.signing.models import Certificate
from congso.signing.tests import support

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing")


@pytest.fixture
def ended(scheduled, people, tree, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    services.transition(scheduled, actor=people["clerk"], action="start")
    services.check_in(scheduled, tree["commune_a"], now=scheduled.start)
    services.transition(scheduled, actor=people["clerk"], action="end")
    services.save_minutes(
        scheduled,
        actor=people["clerk"],
        text="Các xã báo cáo tình hình tuần.\nĐồng chí Chủ tịch kết luận: đẩy nhanh chuyển đổi số.",
    )
    return scheduled


@pytest.fixture
def seal(tree):
    _root, issuing = signing_demo.ensure_authorities()
    return signing_demo.issue_for_unit(tree["district"], issuing)


def _pdftext(path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    return done.stdout


def _pdffonts(path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout


def test_approval_issues_signed_minutes(ended, seal, people, tmp_path, client):
    minutes = services.approve_minutes(ended, actor=people["chair"])
    minutes.refresh_from_db()
    assert minutes.number == "1/BB-UBND" and minutes.unsigned_reason == ""
    draft = minutes.pdf.read()
    assert hashlib.sha256(draft).hexdigest() == minutes.sha256
    signed = minutes.signed_file.file.read()
    assert signed.startswith(draft) and minutes.signed_file.sha256 != minutes.sha256
    path = tmp_path / "bien-ban.pdf"
    path.write_bytes(signed)
    root = Certificate.objects.get(is_trust_anchor=True).pem
    checked = support.pdfsig(path, nssdir=support.nss_database(tmp_path / "nss", root))
    assert checked.signature_valid and checked.certificate_trusted, checked.output
    assert "UBND huyện Thử" in checked.output
    text = _pdftext(path)
    for expected in (
        "UBND HUYỆN THỬ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BIÊN BẢN",
        "Số: 1/BB-UBND",
        "Giao ban trực tuyến tuần",
        "Nguyễn Chủ Trì",
        "UBND xã A: Có mặt",
        "UBND xã B: Vắng mặt",
        "đẩy nhanh chuyển đổi số",
    ):
        assert expected in text, expected
    assert "Liberation-Serif" in _pdffonts(path)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    client.force_login(people["commune_a"])
    page = client.get(reverse("meetings:detail", args=[ended.pk])).content.decode()
    assert 'data-minutes-signed="true"' in page
    download = client.get(reverse("meetings:minutes_file", args=[ended.pk]))
    assert download.getvalue() == signed


def test_without_a_seal_the_minutes_are_issued_unsigned(ended, people, client):
    minutes = services.approve_minutes(ended, actor=people["chair"])
    assert minutes.signed_file is None and minutes.pdf
    assert "chưa có chữ ký số của cơ quan" in minutes.unsigned_reason
    client.force_login(people["clerk"])
    page = client.get(reverse("meetings:detail", args=[ended.pk])).content.decode()
    assert 'data-minutes-signed="false"' in page and minutes.unsigned_reason in page
    download = client.get(reverse("meetings:minutes_file", args=[ended.pk]))
    assert download.getvalue() == minutes.pdf.open("rb").read()


def test_draft_minutes_cannot_be_downloaded(ended, people, client):
    client.force_login(people["clerk"])
    assert client.get(reverse("meetings:minutes_file", args=[ended.pk])).status_code == 404


def test_minutes_approved_before_issuing_existed_are_rendered_on_request(ended, people, client):
    """Demo history holds approved minutes without a stored PDF: the download renders one."""
    minutes = services.approve_minutes(ended, actor=people["chair"])
    type(minutes).objects.filter(pk=minutes.pk).update(pdf="", signed_file=None)
    client.force_login(people["commune_b"])
    response = client.get(reverse("meetings:minutes_file", args=[ended.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
