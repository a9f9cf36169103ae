import uuid

import pytest

from congso.accounts.models import Role
from congso.accounts.tests.factories import OfficialFactory, PositionFactory
from congso.demo import signing as demo
from congso.signing import external, pki, services
from congso.signing.models import CertificateKind
from congso.signing.tests import support


@pytest.fixture
def authorities(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    return demo.ensure_authorities()


@pytest.fixture
def personal(authorities, tree):
    """A leader of the district with a personal certificate; the key is not the server's (the
    demo CA's remote-signing service keeps it)."""
    user = PositionFactory(
        unit=tree["district"],
        role=Role.LEADER,
        title="Chủ tịch UBND huyện",
        user=OfficialFactory(full_name="Nguyễn Văn Lãnh"),
    ).user
    return demo.issue_for_user(user, authorities[1])


@pytest.fixture
def on_device(personal):
    """Sign as the official: the server prepares and embeds, their own device signs."""
    issued = demo.device_key(personal)
    user = personal.owner_user

    def sign(pdf: bytes, **options) -> bytes:
        pending = external.prepare(pdf, certificate=personal, requested_by=user, **options)
        return external.complete(
            pending, support.device_signature(pending, issued), signer_user=user
        )

    return sign


@pytest.fixture
def seal(authorities, tree):
    return demo.issue_for_unit(tree["commune_a"], authorities[1]).key


@pytest.fixture
def timestamper(authorities):
    return support.test_timestamper(authorities[1])


@pytest.fixture
def pdf():
    return support.simple_pdf()


@pytest.fixture
def token(softhsm_token):
    return softhsm_token


@pytest.fixture
def token_key(authorities, tree, tmp_path, token):
    """A seal certificate of commune A whose private key lives only on the SoftHSM2 token."""
    label = f"seal-{uuid.uuid4().hex[:8]}"
    issued = pki.issue(pki.name("UBND xã A", organisation="UBND xã A"), issuer=authorities[1])
    support.import_key_to_token(token, issued, key_label=label, directory=tmp_path)
    certificate = services.import_certificate(
        pki.to_pem(issued.certificate),
        kind=CertificateKind.ORGANISATION,
        owner_unit=tree["commune_a"],
    )
    key = services.register_pkcs11_key(
        certificate, module_path=support.SOFTHSM_MODULE, token_label=token.label, key_label=label
    )
    return key, token
