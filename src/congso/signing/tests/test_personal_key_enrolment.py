"""Keys belong to their holders: a personal key is enrolled only with a certificate from a
trusted CA that names the official (CN, and the CCCD number in UID when both have one); a
refusal stores nothing and is audited, an enrolment is audited and told to the official."""

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congso.accounts.models import Role
from congso.accounts.tests.support import log_in
from congso.core.models import AuditRecord
from congso.notify.models import Notification
from congso.signing import pki
from congso.signing.models import Certificate, CertificateKind, SigningKey
from congso.signing.tests import support

IMPORT = "signing:certificate_import"
ID_NUMBER = "001190000123"


@pytest.fixture
def official(tree, official_at):
    return official_at(
        tree["commune_b"],
        Role.SPECIALIST,
        full_name="Trần Thị Bình",
        id_number=ID_NUMBER,
        email="binh@example.vn",
    )


@pytest.fixture
def commune_admin(client, tree, official_at, settings, authorities):
    settings.DEMO_MODE = True
    admin = official_at(tree["commune_b"], Role.UNIT_ADMIN, full_name="Quản Trị Xã B")
    log_in(client, admin)
    return admin


def _subject(common_name: str, uid: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if uid:
        attributes.append(x509.NameAttribute(NameOID.USER_ID, uid))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _post_certificate(client, issued, official):
    """The official's certificate alone: its key stays on their token or at the CA."""
    pem = pki.to_pem(issued.certificate).encode()
    return client.post(
        reverse(IMPORT),
        {
            "kind": CertificateKind.PERSONAL,
            "owner_username": official.username,
            "certificate": SimpleUploadedFile("ca-nhan.pem", pem),
        },
    )


def _refused(response, official, message: str) -> None:
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Certificate.objects.filter(kind=CertificateKind.PERSONAL).exists()
    assert not SigningKey.objects.filter(certificate__kind=CertificateKind.PERSONAL).exists()
    assert AuditRecord.objects.filter(
        action="signing.enrolment_refused", object_id=str(official.pk)
    ).exists()
    assert not Notification.objects.filter(user=official).exists()


def _no_stray_key_file(settings) -> bool:
    """Only the demo CAs' keys are held, none for the refused official."""
    return not SigningKey.objects.filter(certificate__kind=CertificateKind.PERSONAL).exists()


def test_a_self_made_key_is_refused(client, commune_admin, official, settings):
    home_made = pki.issue(_subject("Trần Thị Bình", f"CCCD:{ID_NUMBER}"))
    response = _post_certificate(client, home_made, official)
    _refused(response, official, "không do tổ chức cung cấp dịch vụ chứng thực tin cậy cấp")
    assert _no_stray_key_file(settings)


def test_a_key_made_by_a_ca_the_admin_made_is_refused(client, commune_admin, official):
    own_ca = pki.issue(_subject("CA tự lập"), authority=True, path_length=0)
    issued = pki.issue(_subject("Trần Thị Bình", f"CCCD:{ID_NUMBER}"), issuer=own_ca)
    _refused(_post_certificate(client, issued, official), official, "không do tổ chức")


def test_someone_elses_certificate_from_the_trusted_ca_is_refused(
    client, commune_admin, official, authorities
):
    issued = pki.issue(_subject("Lê Văn Khác"), issuer=authorities[1])
    _refused(_post_certificate(client, issued, official), official, "không mang tên")


def test_a_namesake_with_another_id_number_is_refused(client, commune_admin, official, authorities):
    issued = pki.issue(_subject("Trần Thị Bình", "CCCD:079190009999"), issuer=authorities[1])
    _refused(_post_certificate(client, issued, official), official, "không mang tên")


def test_the_demo_root_is_not_trusted_outside_demo_mode(
    client, commune_admin, official, authorities, settings
):
    settings.DEMO_MODE = False
    issued = pki.issue(_subject("Trần Thị Bình", f"CCCD:{ID_NUMBER}"), issuer=authorities[1])
    _refused(_post_certificate(client, issued, official), official, "không do tổ chức")


def test_the_officials_certificate_is_enrolled_audited_and_told(
    client, commune_admin, official, authorities
):
    issued = pki.issue(_subject("TRAN THI BINH", f"CCCD:{ID_NUMBER}"), issuer=authorities[1])
    response = _post_certificate(client, issued, official)
    assert response.status_code == 302, response.content.decode()[:2000]
    certificate = Certificate.objects.get(kind=CertificateKind.PERSONAL, owner_user=official)
    assert not SigningKey.objects.filter(certificate=certificate).exists()
    assert AuditRecord.objects.filter(
        action="signing.personal_key_enrolled", object_id=str(certificate.pk)
    ).exists()
    told = Notification.objects.filter(user=official, template="signing.personal_key_enrolled")
    assert told.exists() and "TRAN THI BINH" in told.first().body


def test_a_ca_from_the_setting_is_trusted(
    client, commune_admin, official, authorities, settings, tmp_path
):
    settings.DEMO_MODE = False
    bundle = tmp_path / "ca-tin-cay.pem"
    bundle.write_text(pki.to_pem(authorities[0].certificate))
    settings.CONGSO_TRUST_ANCHORS = [str(bundle)]
    issued = pki.issue(_subject("Trần Thị Bình"), issuer=authorities[1])
    assert _post_certificate(client, issued, official).status_code == 302
    assert Certificate.objects.filter(owner_user=official).exists()


def test_a_persons_key_is_never_taken_onto_the_server(client, commune_admin, official, authorities):
    """Neither the archive with the key nor a token plugged into the server: the official signs
    with their own token or the CA's remote service."""
    issued = pki.issue(_subject("Trần Thị Bình", f"CCCD:{ID_NUMBER}"), issuer=authorities[1])
    archive = client.post(
        reverse(IMPORT),
        {
            "kind": CertificateKind.PERSONAL,
            "owner_username": official.username,
            "pkcs12": SimpleUploadedFile("ca-nhan.p12", pki.to_pkcs12(issued, "ncc-123")),
            "password": "ncc-123",
        },
    )
    assert archive.status_code == 400
    assert "không được giữ trên máy chủ" in archive.content.decode()
    assert not Certificate.objects.filter(owner_user=official).exists()
    assert _post_certificate(client, issued, official).status_code == 302
    certificate = Certificate.objects.get(owner_user=official)
    form = {"module_path": support.SOFTHSM_MODULE, "token_label": "T", "key_label": "K"}
    bound = client.post(reverse("signing:certificate_pkcs11", args=[certificate.pk]), form)
    assert bound.status_code == 400 and "không được giữ trên máy chủ" in bound.content.decode()
    assert not SigningKey.objects.filter(certificate__kind=CertificateKind.PERSONAL).exists()


def test_a_trusted_ca_path_that_does_not_load_is_a_deployment_error(settings, tmp_path):
    from congso.signing.checks import trusted_cas_load

    settings.CONGSO_TRUST_ANCHORS = [str(tmp_path / "khong-co.pem")]
    assert [error.id for error in trusted_cas_load(None)] == ["congso.signing.E002"]
    settings.CONGSO_TRUST_ANCHORS = []
    assert trusted_cas_load(None) == []


def test_no_trust_anchor_outside_demo_mode_is_a_deployment_warning(settings, tmp_path):
    from congso.signing.checks import trust_anchors_set

    settings.DEMO_MODE, settings.CONGSO_TRUST_ANCHORS = False, []
    assert [warning.id for warning in trust_anchors_set(None)] == ["congso.signing.W001"]
    settings.CONGSO_TRUST_ANCHORS = [str(tmp_path / "national-root-ca.pem")]
    assert trust_anchors_set(None) == []
    settings.DEMO_MODE, settings.CONGSO_TRUST_ANCHORS = True, []
    assert trust_anchors_set(None) == []
