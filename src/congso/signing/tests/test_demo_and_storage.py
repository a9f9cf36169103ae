"""The demo PKI covers the demo district; signed originals are stored once with their hash."""

import hashlib

import pytest

from congso.demo import signing as demo
from congso.demo.loaders import load_all
from congso.org.models import Unit
from congso.signing import services
from congso.signing.models import Certificate, CertificateKind, SignatureRecord

pytestmark = pytest.mark.slow


def test_demo_load_is_idempotent_and_complete(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    loaded = load_all()
    first = demo.load(loaded)
    count = Certificate.objects.count()
    second = demo.load(loaded)
    assert Certificate.objects.count() == count
    assert {k: c.pk for k, c in first.items()} == {k: c.pk for k, c in second.items()}
    district = loaded["units"]["district"]
    localities = Unit.objects.subtree(district).localities().count()
    assert Certificate.objects.filter(kind=CertificateKind.ORGANISATION).count() == localities
    leader = loaded["people"]["lanhdao.nghilong"]
    certificate = first["lanhdao.nghilong"]
    assert certificate.owner_user == leader and "Hoàng Văn Long" in certificate.subject
    assert Certificate.objects.filter(is_trust_anchor=True).count() == 1


def test_demo_official_signs_and_verifies(db, settings, tmp_path):
    from congso.signing.tests.support import simple_pdf

    settings.VAR_DIR = tmp_path
    certificates = demo.load(load_all())
    seal = certificates["Xã Nghi Long"].key
    [report] = services.verify_pdf(services.sign_pdf(simple_pdf(), key=seal))
    assert report.ok and report.signer.endswith("Nghi Long")


def test_signed_file_stored_with_hash_and_derived_copy_beside(seal, pdf):
    signed = services.sign_pdf(pdf, key=seal)
    stored = services.store_signed_file(signed, name="quyet-dinh.pdf")
    assert stored.sha256 == hashlib.sha256(signed).hexdigest()
    assert SignatureRecord.objects.get().signed_file == stored
    derived = services.save_derived_copy(stored, "txt", "Văn bản thử".encode())
    assert derived.startswith(stored.file.name)
    with stored.file.open("rb") as handle:
        assert handle.read() == signed
