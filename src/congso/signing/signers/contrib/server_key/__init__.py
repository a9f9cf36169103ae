"""Server key: the organisation's seal signature made by the server with the key in the HSM
(PKCS#11; SoftHSM2 in tests) or an encrypted PKCS#12. Never for a person."""

import asyncio

from django.utils.translation import gettext_lazy as _

from ...base import Signer, Step
from ...registry import SERVER_KEY, registry


@registry.register(SERVER_KEY)
class ServerKey(Signer):
    verbose_name = _("Khoá của cơ quan trên máy chủ (HSM)")
    for_person = False
    for_organisation = True

    @classmethod
    def from_settings(cls):
        return cls()

    def start(self, pending) -> Step:
        from congso.signing.services import key_signer

        signer = key_signer(pending.certificate.key)
        try:
            value = asyncio.run(signer.async_sign_raw(bytes(pending.signed_attributes), "sha256"))
        finally:
            from congso.signing.engine import release

            release(signer)
        return Step("done", signature=value)
