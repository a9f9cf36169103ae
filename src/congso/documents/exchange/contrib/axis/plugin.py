"""The national document-exchange axis, registered as ``axis``.

The Government Office's SDK talks to the axis (VDXP, or the province's LGSP in front of it)
with four operations: send an edoc, list the edocs received (``edoc`` packages or ``status``
messages), get one, and mark it done so it is not offered again. The axis routes a package by
the ``To`` organs of its ``MessageHeader`` and a status message by the organ it answers; the
caller is identified by its organ ID and an access token issued with the connection. This
plugin speaks those operations over HTTP (``/api/edoc/...``, headers ``X-Organ-Id``,
``X-Message-Id``, ``Authorization: Bearer``); the LGSP in front of a given province may name
the paths differently (``docs/integrations.md``): the sandbox ``sandbox.exchange_axis`` speaks
exactly this.
"""

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ...base import Received, Transport, TransportError
from ...registry import registry


@registry.register("axis")
class Axis(Transport):
    verbose_name = _("Trục liên thông văn bản quốc gia (VDXP/LGSP)")

    def __init__(self, base_url: str, token: str, timeout: float = 30):
        self.base_url, self.token, self.timeout = base_url.rstrip("/"), token, timeout

    @classmethod
    def from_settings(cls) -> "Axis":
        return cls(settings.CONGSO_EXCHANGE_URL, settings.CONGSO_EXCHANGE_TOKEN)

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.token)

    def _call(self, method: str, path: str, organ: str, *, body=None, headers=None) -> bytes:
        if not self.configured or not self.base_url.startswith(("http://", "https://")):
            raise TransportError("axis: CONGSO_EXCHANGE_URL or CONGSO_EXCHANGE_TOKEN is not set")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            f"{self.base_url}{path}",
            data=body,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "X-Organ-Id": organ}
            | (headers or {}),
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.read(50_000_000)
        except (OSError, ValueError) as exc:
            raise TransportError(f"axis {method} {path}: {exc}") from exc

    def _json(self, data: bytes):
        try:
            return json.loads(data)
        except ValueError as exc:
            raise TransportError("axis: the answer is not JSON") from exc

    def send(self, from_organ: str, message_id: str, payload: bytes) -> str:
        answer = self._json(
            self._call(
                "POST",
                "/api/edoc/send",
                from_organ,
                body=payload,
                headers={"Content-Type": "application/xml", "X-Message-Id": message_id},
            )
        )
        if not isinstance(answer, dict) or answer.get("status") != "OK":
            raise TransportError(f"axis refused the message: {answer}")
        return str(answer.get("docId", ""))

    def received(self, organ: str, kind: str) -> list[Received]:
        listing = self._json(
            self._call("GET", f"/api/edoc/received?type={urllib.parse.quote(kind)}", organ)
        )
        if not isinstance(listing, list):
            raise TransportError("axis: the list of received messages is not a list")
        found = []
        for item in listing:
            axis_id = str(item.get("docId", ""))
            payload = self._call("GET", f"/api/edoc/{urllib.parse.quote(axis_id)}", organ)
            found.append(Received(axis_id, kind, str(item.get("from", "")), payload))
        return found

    def acknowledge(self, organ: str, axis_id: str) -> None:
        self._call("POST", f"/api/edoc/{urllib.parse.quote(axis_id)}/done", organ, body=b"")
