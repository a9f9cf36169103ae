"""A seal signs for a whole unit: organisation certificates and keys are changed only by a
system administrator, and only in a session that has passed the second factor — checked by the
pages themselves, not only by the middleware that sends administrators to the TOTP page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congso.accounts.models import Role
from congso.accounts.tests.support import log_in
from congso.demo import signing as demo
from congso.signing import pki
from congso.signing.models import Certificate, CertificateKind
from congso.signing.tests import support

MIDDLEWARE = "congso.accounts.middleware.SecondFactorMiddleware"


@pytest.fixture
def system_admin(tree, official_at):
    return official_at(tree["province"], Role.SYSTEM_ADMIN, full_name="Quản Trị Tỉnh")


@pytest.fixture
def commune_admin(tree, official_at):
    return official_at(tree["commune_b"], Role.UNIT_ADMIN, full_name="Quản Trị Xã B")


@pytest.fixture
def seal_b(authorities, tree):
    return demo.issue_for_unit(tree["commune_b"], authorities[1])


@pytest.fixture
def without_middleware(settings):
    """As if the middleware were missing or bypassed: the pages must refuse on their own."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]


def _import_seal(client, tree, authorities):
    issued = pki.issue(pki.name("Dấu xã B", organisation="UBND xã B"), issuer=authorities[1])
    return client.post(
        reverse("signing:certificate_import"),
        {
            "kind": CertificateKind.ORGANISATION,
            "owner_unit": tree["commune_b"].pk,
            "pkcs12": SimpleUploadedFile("dau.p12", pki.to_pkcs12(issued, "ncc")),
            "password": "ncc",
        },
    )


def _changes(seal_b):
    pk = seal_b.pk
    pkcs11 = {"module_path": support.SOFTHSM_MODULE, "token_label": "T", "key_label": "K"}
    return [
        (reverse("signing:certificate_pkcs11", args=[pk]), pkcs11),
        (reverse("signing:certificate_revoke", args=[pk]), {}),
        (
            reverse("signing:certificate_image", args=[pk]),
            {"image": SimpleUploadedFile("d.png", b"x")},
        ),
    ]


def _unchanged(seal_b) -> bool:
    fresh = Certificate.objects.get(pk=seal_b.pk)
    return fresh.revoked_at is None and bytes(fresh.key.encrypted_key) == bytes(
        seal_b.key.encrypted_key
    )


def test_a_unit_admin_cannot_import_or_change_a_seal(
    client, tree, authorities, commune_admin, seal_b
):
    log_in(client, commune_admin)
    assert _import_seal(client, tree, authorities).status_code in (400, 403)
    assert not Certificate.objects.filter(common_name="Dấu xã B").exists()
    for url, data in _changes(seal_b):
        assert client.post(url, data).status_code == 403, url
    assert _unchanged(seal_b)


def test_no_seal_change_without_the_second_factor(
    client, tree, authorities, system_admin, seal_b, without_middleware
):
    log_in(client, system_admin, second_factor=False)
    assert _import_seal(client, tree, authorities).status_code == 403
    assert not Certificate.objects.filter(common_name="Dấu xã B").exists()
    for url, data in _changes(seal_b):
        assert client.post(url, data).status_code == 403, url
    assert _unchanged(seal_b)


def test_a_system_admin_with_the_second_factor_manages_seals(
    client, tree, authorities, system_admin, seal_b, without_middleware
):
    log_in(client, system_admin)
    assert _import_seal(client, tree, authorities).status_code == 302
    assert Certificate.objects.get(common_name="Dấu xã B").owner_unit == tree["commune_b"]
    revoke = reverse("signing:certificate_revoke", args=[seal_b.pk])
    assert client.post(revoke).status_code == 302
    assert Certificate.objects.get(pk=seal_b.pk).revoked_at is not None
