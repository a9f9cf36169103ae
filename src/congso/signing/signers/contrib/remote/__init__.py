"""Remote signing service: the CA keeps the official's key; the server sends the hash of the
signed attributes, the official confirms in the CA's phone app, the server polls the transaction
and embeds the returned value. The request shape follows the CAs' remote-signing APIs (VNPT
SmartCA, Viettel MySign): ``sp_id``/``sp_password`` for the platform, ``user_id`` for the
official, ``sign_files`` with hex SHA-256 hashes, ``signatures/sign/<id>/status``."""

import base64
import hashlib

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ...base import Outcome, Signer, SignerUnavailable, Step
from ...registry import REMOTE, registry

TIMEOUT = 10


@registry.register(REMOTE)
class RemoteSigning(Signer):
    verbose_name = _lazy("Ký số từ xa (xác nhận trên điện thoại)")
    for_person = True
    for_organisation = False

    def __init__(self, url: str, sp_id: str, sp_password: str):
        self.url, self.sp_id, self.sp_password = url.rstrip("/"), sp_id, sp_password

    @classmethod
    def from_settings(cls):
        return cls(
            settings.CONGSO_REMOTE_SIGNING_URL,
            settings.CONGSO_REMOTE_SIGNING_SP_ID,
            settings.CONGSO_REMOTE_SIGNING_SP_PASSWORD,
        )

    @property
    def configured(self) -> bool:
        return bool(self.url and self.sp_id and self.sp_password)

    def _post(self, path: str, body: dict) -> dict:
        if not self.configured:
            raise SignerUnavailable(_("Chưa cấu hình dịch vụ ký số từ xa."))
        payload = {"sp_id": self.sp_id, "sp_password": self.sp_password, **body}
        try:
            response = requests.post(f"{self.url}{path}", json=payload, timeout=TIMEOUT)
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise SignerUnavailable(_("Không kết nối được dịch vụ ký số từ xa.")) from exc
        if response.status_code != 200 or answer.get("status_code") != 200:
            raise SignerUnavailable(
                _("Dịch vụ ký số từ xa từ chối yêu cầu (%(message)s).")
                % {"message": answer.get("message", response.status_code)}
            )
        return answer.get("data") or {}

    def certificates(self, user_id: str) -> list[dict]:
        """The official's certificates at the service (DER, base64), to enrol one."""
        data = self._post("/v1/credentials/get_certificate", {"user_id": user_id})
        return data.get("user_certificates") or []

    def start(self, pending) -> Step:
        certificate = pending.certificate
        if not certificate.remote_user_id:
            raise SignerUnavailable(_("Chứng thư số chưa gắn với tài khoản ký số từ xa."))
        digest = hashlib.sha256(bytes(pending.signed_attributes)).hexdigest()
        data = self._post(
            "/v1/signatures/sign",
            {
                "user_id": certificate.remote_user_id,
                "serial_number": certificate.serial.lower().lstrip("0") or "0",
                "transaction_desc": pending.reason or _("Ký văn bản"),
                "sign_files": [
                    {
                        "doc_id": str(pending.pk),
                        "file_type": "pdf",
                        "sign_type": "hash",
                        "data_to_be_signed": digest,
                    }
                ],
            },
        )
        return Step("confirm", {"transaction_id": str(data.get("transaction_id", ""))})

    def poll(self, pending) -> Outcome:
        data = self._post(f"/v1/signatures/sign/{pending.transaction_id}/status", {})
        status = data.get("status", "pending")
        if status != "confirmed":
            return Outcome(status if status in ("rejected", "expired") else "pending")
        for item in data.get("signatures") or []:
            if str(item.get("doc_id")) == str(pending.pk):
                return Outcome("done", base64.b64decode(item.get("signature_value", "")))
        return Outcome("rejected")
