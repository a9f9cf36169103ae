"""A signer whose key lives on a token (SoftHSM2): a wrong PIN signs nothing, the document stays
approved with its one draft version; the right PIN signs."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from congso.demo import signing as signing_demo
from congso.documents import services
from congso.documents.lifecycle import OutgoingState
from congso.signing import pki, testing
from congso.signing import services as signing_services
from congso.signing.models import CertificateKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_signer(people, softhsm_token, tmp_path):
    token = softhsm_token
    _root, intermediate = signing_demo.ensure_authorities()
    label = f"leader-{uuid.uuid4().hex[:8]}"
    issued = pki.issue(
        pki.name("Nguyễn Văn Lãnh", organisation="UBND huyện Thử"), issuer=intermediate
    )
    testing.import_key_to_token(token, issued, key_label=label, directory=tmp_path)
    certificate = signing_services.import_certificate(
        pki.to_pem(issued.certificate), kind=CertificateKind.PERSONAL, owner_user=people["leader"]
    )
    signing_services.register_pkcs11_key(
        certificate, module_path=testing.SOFTHSM_MODULE, token_label=token.label, key_label=label
    )
    return token


def test_wrong_pin_signs_nothing(draft, people, token_signer):
    document = draft()
    document = services.transition(document, people["specialist"], "submit")
    document = services.transition(document, people["leader"], "approve")
    with pytest.raises(ValidationError, match="PIN"):
        services.transition(document, people["leader"], "sign", pin="0000")
    document.refresh_from_db()
    assert document.state == OutgoingState.APPROVED and document.versions.count() == 1
    document = services.transition(document, people["leader"], "sign", pin=token_signer.pin)
    assert document.state == OutgoingState.SIGNED and document.versions.count() == 2
