"""The generic JSON-over-HTTPS SMS gateway, registered as ``http_gateway``."""

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ...base import SmsError, SmsProvider, SmsRejected
from ...registry import registry

#: Gateway answers that a retry may fix even though they are 4xx.
_TRANSIENT_CLIENT_ERRORS = {408, 425, 429}


@registry.register("http_gateway")
class HttpGatewayProvider(SmsProvider):
    """A generic JSON-over-HTTPS gateway, the shape most Vietnamese brandname-SMS resellers offer.

    Request: ``POST {CONGSO_SMS_GATEWAY_URL}`` with headers
    ``Authorization: Bearer {CONGSO_SMS_GATEWAY_TOKEN}`` and
    ``Content-Type: application/json; charset=utf-8``, body::

        {"to": "+84912345678", "text": "Mã xác thực ...", "reference": "congso-notification-42"}

    ``to`` is E.164, ``text`` is UTF-8 Vietnamese, ``reference`` is stable across retries of the
    same notification so the gateway can drop a duplicate.

    Response: any 2xx with a JSON body ``{"id": "<gateway message id>"}`` (``id`` may be missing).
    A 4xx other than 408/425/429 means the message is refused for good; anything else (5xx,
    timeouts, refused connections) is retried later.
    """

    verbose_name = _("Cổng SMS qua HTTP (JSON)")

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 0):
        self.url = url if url is not None else settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout or settings.SMS_GATEWAY_TIMEOUT

    def _request(self, phone: str, text: str, reference: str) -> urllib.request.Request:
        if not self.url.startswith(("https://", "http://")):
            raise SmsError("CONGSO_SMS_GATEWAY_URL chưa được cấu hình (cần http:// hoặc https://)")
        body = json.dumps({"to": phone, "text": text, "reference": reference}, ensure_ascii=False)
        return urllib.request.Request(  # noqa: S310 - scheme checked above
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
        )

    def send(self, phone: str, text: str, *, reference: str = "") -> str:
        request = self._request(phone, text, reference)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode(errors="replace")
            error = f"Cổng SMS trả lỗi HTTP {exc.code}: {detail}"
            if 400 <= exc.code < 500 and exc.code not in _TRANSIENT_CLIENT_ERRORS:
                raise SmsRejected(error) from exc
            raise SmsError(error) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"Không kết nối được cổng SMS: {exc}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            return ""
        return str(answer.get("id", "")) if isinstance(answer, dict) else ""
