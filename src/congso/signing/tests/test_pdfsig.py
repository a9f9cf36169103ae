"""poppler's pdfsig, an independent validator, agrees with ours on valid, trusted and damaged."""

import shutil

import pytest

from congso.signing import services
from congso.signing.models import Certificate
from congso.signing.tests import support

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing")


def _root_pem() -> str:
    return Certificate.objects.get(is_trust_anchor=True).pem


def _damage(signed: bytes) -> bytes:
    """Change one byte of page content, which lies inside the signed byte range."""
    position = signed.index(b"trang 1")
    return signed[:position] + b"T" + signed[position + 1 :]


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT"])
def test_pdfsig_says_valid_and_trusted(seal, pdf, timestamper, tmp_path, level):
    signed = services.sign_pdf(pdf, key=seal, level=level, timestamper=timestamper)
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    plain = support.pdfsig(path)
    assert plain.signature_valid, plain.output
    nssdir = support.nss_database(tmp_path / "nss", _root_pem())
    trusted = support.pdfsig(path, nssdir=nssdir)
    assert trusted.signature_valid and trusted.certificate_trusted, trusted.output


def test_without_our_root_pdfsig_does_not_trust(seal, pdf, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(services.sign_pdf(pdf, key=seal))
    empty = tmp_path / "empty-nss"
    empty.mkdir()
    import subprocess

    subprocess.run(["certutil", "-N", "-d", f"sql:{empty}", "--empty-password"], check=True)
    result = support.pdfsig(path, nssdir=f"sql:{empty}")
    assert result.signature_valid and not result.certificate_trusted, result.output


def test_one_changed_byte_is_damage_for_both(seal, pdf, tmp_path):
    signed = services.sign_pdf(pdf, key=seal)
    damaged = _damage(signed)
    path = tmp_path / "damaged.pdf"
    path.write_bytes(damaged)
    result = support.pdfsig(path, nssdir=support.nss_database(tmp_path / "nss", _root_pem()))
    assert not result.signature_valid and result.damaged, result.output
    [report] = services.verify_pdf(damaged)
    assert not report.intact and not report.ok
    assert "bị thay đổi" in report.bottom_line
