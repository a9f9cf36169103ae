"""Desk token: the browser hands the request to the official's local signing agent
(``python -m congso signing_agent``), which asks the official to confirm and signs with the USB
token's key via PKCS#11; the browser posts the signature back. The server sees no key and no PIN.
"""

import base64

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ...base import Signer, Step
from ...registry import DESK_TOKEN, registry


def agent_request(pending) -> dict:
    """The JSON the browser posts to the agent's ``/v1/sign`` (see ``docs/signatures.md``)."""
    return {
        "id": pending.pk,
        "digest_algorithm": "sha256",
        "certificate_sha256": pending.certificate.fingerprint,
        "data_to_sign": base64.b64encode(bytes(pending.signed_attributes)).decode(),
        "description": pending.reason,
    }


@registry.register(DESK_TOKEN)
class DeskToken(Signer):
    verbose_name = _("Token USB trên máy người ký (qua phần mềm ký số)")
    for_person = True
    for_organisation = False

    def __init__(self, agent_url: str):
        self.agent_url = agent_url

    @classmethod
    def from_settings(cls):
        return cls(settings.CONGSO_SIGNING_AGENT_URL)

    def start(self, pending) -> Step:
        return Step("agent", {"agent_url": self.agent_url, **agent_request(pending)})
