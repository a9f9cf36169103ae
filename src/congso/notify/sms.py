"""The SMS provider contract and the two providers that ship with Công Sở.

A province plugs in its own carrier or brandname gateway by writing a subclass of
``SmsProvider`` and naming it in ``CONGSO_SMS_PROVIDER`` (a dotted path). The outbox worker calls
``send`` once per attempt; raising ``SmsError`` schedules a retry, raising ``SmsRejected`` gives
up at once (retrying cannot fix a refused number).
"""

import abc
import datetime as dt
import json
import os
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

#: Gateway answers that a retry may fix even though they are 4xx.
_TRANSIENT_CLIENT_ERRORS = {408, 425, 429}


class SmsError(Exception):
    """The message could not be handed over now; try again later."""


class SmsRejected(SmsError):
    """The provider refused this message for good (bad number, blocked content...)."""


class SmsProvider(abc.ABC):
    """The contract of an SMS provider: hand one text to a carrier."""

    @abc.abstractmethod
    def send(self, phone: str, text: str, *, reference: str = "") -> str:
        """Send ``text`` to ``phone``; return the provider's message id (may be empty)."""


class LocalSinkProvider(SmsProvider):
    """Development and demo provider: appends each message as one JSON line to
    ``var/sms.jsonl`` so people can read what would have been sent. Each line is written with one
    ``O_APPEND`` write, so concurrent workers do not interleave lines."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path or Path(settings.VAR_DIR) / "sms.jsonl")

    def send(self, phone: str, text: str, *, reference: str = "") -> str:
        message_id = f"sink-{uuid.uuid4().hex}"
        line = json.dumps(
            {
                "id": message_id,
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "to": phone,
                "text": text,
                "reference": reference,
            },
            ensure_ascii=False,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)
        return message_id


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


def get_provider() -> SmsProvider:
    """The provider named by ``CONGSO_SMS_PROVIDER`` (read at every call, so tests can override)."""
    return import_string(settings.SMS_PROVIDER)()
