"""Certificate administration: scoped lists, import from PKCS#12, PKCS#11 keys, images,
revocation and trusted roots — each change audited, bad input answered in Vietnamese."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congso.accounts.models import Role
from congso.accounts.tests.support import log_in
from congso.core.models import AuditRecord
from congso.signing import pki, services
from congso.signing.models import Certificate, CertificateKind, KeyBackend
from congso.signing.tests import support

pytestmark = pytest.mark.slow


@pytest.fixture
def system_admin(tree, official_at):
    return official_at(tree["province"], Role.SYSTEM_ADMIN, full_name="Quản Trị Tỉnh")


@pytest.fixture
def commune_admin(tree, official_at):
    return official_at(tree["commune_b"], Role.UNIT_ADMIN, full_name="Quản Trị Xã B")


def _p12(issued, password="mat-khau-ncc") -> SimpleUploadedFile:
    return SimpleUploadedFile("chu-ky.p12", pki.to_pkcs12(issued, password), "application/x-pkcs12")


def test_pages_need_login_rights_and_the_second_factor(client, tree, system_admin, official_at):
    url = reverse("signing:certificates")
    assert client.get(url).status_code == 302
    log_in(client, system_admin, second_factor=False)
    assert reverse("accounts:totp") in client.get(url)["Location"]
    log_in(client, official_at(tree["district"], Role.SPECIALIST))
    assert client.get(url).status_code == 403
    assert client.get(reverse("signing:roots")).status_code == 403


def test_list_is_scoped_to_the_administrators_units(client, seal, personal, commune_admin):
    log_in(client, commune_admin)
    page = client.get(reverse("signing:certificates"))
    assert page.status_code == 200
    assert "UBND xã A" not in page.content.decode()
    assert client.get(reverse("signing:certificate", args=[seal.certificate.pk])).status_code == 404


def test_system_admin_sees_seal_status_and_key(client, seal, system_admin):
    log_in(client, system_admin)
    body = client.get(reverse("signing:certificates")).content.decode()
    assert "UBND xã A" in body and "Còn hiệu lực" in body
    assert "Khoá mã hoá trong cơ sở dữ liệu" in body


def test_import_pkcs12_with_its_password(client, tree, authorities, system_admin, pdf):
    issued = pki.issue(pki.name("UBND xã B", organisation="UBND xã B"), issuer=authorities[1])
    log_in(client, system_admin)
    response = client.post(
        reverse("signing:certificate_import"),
        {
            "kind": CertificateKind.ORGANISATION,
            "owner_unit": tree["commune_b"].pk,
            "pkcs12": _p12(issued),
            "password": "mat-khau-ncc",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    certificate = Certificate.objects.get(common_name="UBND xã B")
    assert certificate.owner_unit == tree["commune_b"]
    assert certificate.key.backend == KeyBackend.DATABASE
    assert services.verify_pdf(services.sign_pdf(pdf, key=certificate.key))[0].ok
    assert AuditRecord.objects.filter(action="signing.key_stored").exists()


def test_wrong_pkcs12_password_is_refused(client, tree, authorities, system_admin):
    issued = pki.issue(pki.name("UBND xã B"), issuer=authorities[1])
    log_in(client, system_admin)
    response = client.post(
        reverse("signing:certificate_import"),
        {
            "kind": CertificateKind.ORGANISATION,
            "owner_unit": tree["commune_b"].pk,
            "pkcs12": _p12(issued),
            "password": "sai",
        },
    )
    assert response.status_code == 400
    assert "sai mật khẩu" in response.content.decode()
    assert not Certificate.objects.filter(common_name="UBND xã B").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "org"}, "Hãy chọn cơ quan"),
        ({"kind": "personal", "owner_username": "khong-co"}, "Không có cán bộ này"),
        ({"kind": "org", "owner_unit": "x"}, "Hãy chọn tệp PKCS#12"),
    ],
)
def test_import_form_errors(client, tree, system_admin, data, message):
    log_in(client, system_admin)
    response = client.post(reverse("signing:certificate_import"), data)
    assert response.status_code == 400 and message in response.content.decode()


def test_certificate_file_alone_then_pkcs11_key(client, tree, authorities, system_admin):
    issued = pki.issue(pki.name("UBND xã B"), issuer=authorities[1])
    log_in(client, system_admin)
    der = issued.certificate.public_bytes(pki.serialization.Encoding.DER)
    response = client.post(
        reverse("signing:certificate_import"),
        {
            "kind": "org",
            "owner_unit": tree["commune_b"].pk,
            "certificate": SimpleUploadedFile("c.cer", der),
        },
    )
    certificate = Certificate.objects.get(common_name="UBND xã B")
    assert response["Location"] == reverse("signing:certificate", args=[certificate.pk])
    url = reverse("signing:certificate_pkcs11", args=[certificate.pk])
    bad = client.post(url, {"module_path": "/tmp/evil.so", "token_label": "T", "key_label": "K"})
    assert bad.status_code == 400 and not hasattr(Certificate.objects.get(pk=certificate.pk), "key")
    client.post(
        url, {"module_path": support.SOFTHSM_MODULE, "token_label": "UBND-XA", "key_label": "seal"}
    )
    key = Certificate.objects.get(pk=certificate.pk).key
    assert (key.backend, key.token_label, key.key_label) == (KeyBackend.PKCS11, "UBND-XA", "seal")


def test_stamp_image_upload_and_revocation(client, seal, system_admin):
    from PIL import Image

    log_in(client, system_admin)
    certificate = seal.certificate
    not_image = client.post(
        reverse("signing:certificate_image", args=[certificate.pk]),
        {"image": SimpleUploadedFile("dau.png", b"not an image")},
    )
    assert not_image.status_code == 400 and "không đúng định dạng" in not_image.content.decode()
    out = io.BytesIO()
    Image.new("RGBA", (40, 40), (200, 0, 0, 255)).save(out, "PNG")
    client.post(
        reverse("signing:certificate_image", args=[certificate.pk]),
        {"image": SimpleUploadedFile("dau.png", out.getvalue())},
    )
    certificate.refresh_from_db()
    assert certificate.stamp_image
    client.post(reverse("signing:certificate_revoke", args=[certificate.pk]))
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert (
        "Đã thu hồi"
        in client.get(reverse("signing:certificate", args=[certificate.pk])).content.decode()
    )


def test_trusted_roots_are_managed_and_used_by_verification(
    client, authorities, on_device, pdf, system_admin, commune_admin
):
    signed = on_device(pdf)
    log_in(client, commune_admin)
    assert client.get(reverse("signing:roots")).status_code == 403
    log_in(client, system_admin)
    root = Certificate.objects.get(is_trust_anchor=True)
    client.post(reverse("signing:root_trust", args=[root.pk]), {"trusted": "0"})
    assert not services.verify_pdf(signed)[0].trusted
    client.post(reverse("signing:root_trust", args=[root.pk]), {"trusted": "1"})
    assert services.verify_pdf(signed)[0].ok
    assert AuditRecord.objects.filter(action="signing.trust_anchor_set").count() == 2


def test_government_root_upload(client, system_admin, db):
    government = pki.issue(pki.name("Root CA Chính phủ"), authority=True, path_length=1)
    leaf = pki.issue(pki.name("Không phải CA"), issuer=government)
    log_in(client, system_admin)
    url = reverse("signing:roots")
    refused = client.post(
        url, {"certificate": SimpleUploadedFile("l.pem", pki.to_pem(leaf.certificate).encode())}
    )
    assert refused.status_code == 400 and "không phải của tổ chức" in refused.content.decode()
    junk = client.post(url, {"certificate": SimpleUploadedFile("x.pem", b"junk")})
    assert junk.status_code == 400 and "PEM hoặc DER" in junk.content.decode()
    client.post(
        url,
        {
            "certificate": SimpleUploadedFile("r.pem", pki.to_pem(government.certificate).encode()),
            "trust_anchor": "on",
        },
    )
    stored = Certificate.objects.get(common_name="Root CA Chính phủ")
    assert stored.is_trust_anchor and stored.kind == CertificateKind.AUTHORITY
    assert "Root CA Chính phủ" in client.get(url).content.decode()
