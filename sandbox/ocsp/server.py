"""The WSGI app of the sandbox OCSP responder and its runner.

It answers for one CA, as a real CA's responder does: ``good`` for a serial of that CA unless the
serial was revoked (``revoke``, or the ``--revoked`` JSON file re-read on every request),
``revoked`` with its time otherwise, ``unauthorized`` for another CA's certificate and
``malformedRequest`` for junk. Like a CRL-backed responder it does not keep the list of serials
its CA issued, so it never says ``unknown``. The answer is signed by the CA itself (RFC 6960
§2.6) with ``congso.signing.pki.ocsp_response``, the builder the platform's own responder uses.
"""

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from cryptography.hazmat.primitives import serialization
from cryptography.x509 import ocsp

from congso.signing import pki
from sandbox.wsgi import Served, bind

MAX_REQUEST = 16 * 1024
CONTENT_TYPE = "application/ocsp-response"


@dataclass
class Responder:
    issuer: pki.Issued
    revocations: dict[int, dt.datetime] = field(default_factory=dict)
    revoked_file: Path | None = None
    answered: int = 0

    def revoke(self, serial: int, at: dt.datetime | None = None) -> None:
        self.revocations[serial] = at or dt.datetime.now(dt.UTC)

    def _revoked(self) -> dict[int, dt.datetime]:
        """The revocations set in memory and those of the JSON file ``{"<hex serial>": iso}``."""
        revoked = dict(self.revocations)
        if self.revoked_file is not None and self.revoked_file.is_file():
            for serial, at in json.loads(self.revoked_file.read_text()).items():
                revoked[int(serial, 16)] = dt.datetime.fromisoformat(at)
        return revoked

    def answer(self, data: bytes) -> bytes:
        try:
            request = ocsp.load_der_ocsp_request(data)
            serial = request.serial_number
        except Exception:  # noqa: BLE001 - any parse failure is a malformed request
            return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        if not pki.names_issuer(request, self.issuer.certificate):
            return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
        self.answered += 1
        response = pki.ocsp_response(
            serial, self.issuer, revoked_at=self._revoked().get(serial), now=dt.datetime.now(dt.UTC)
        )
        return response.public_bytes(serialization.Encoding.DER)

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            data = environ["wsgi.input"].read(min(length, MAX_REQUEST))
        else:
            # RFC 6960 A.1: GET {url}/{url-encoding of base64 of the DER request}; the base64
            # text may itself hold "/" characters.
            encoded = unquote(environ.get("PATH_INFO", "").lstrip("/"))
            try:
                data = base64.b64decode(encoded, validate=False)
            except ValueError:
                data = b""
        start_response("200 OK", [("Content-Type", CONTENT_TYPE)])
        return [self.answer(data)]


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
        serialization.Encoding.DER
    )


@dataclass
class Running(Served):
    responder: Responder = None

    @property
    def url(self) -> str:
        return f"{self.base_url}/"


def build(
    issuer: pki.Issued,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    revoked_file: Path | None = None,
    verbose: bool = False,
) -> Running:
    server = bind(host, port, verbose=verbose)
    responder = Responder(issuer, revoked_file=revoked_file)
    server.set_app(responder)
    return Running(server, responder)


def start_in_thread(issuer: pki.Issued, **kwargs) -> Running:
    return build(issuer, **kwargs).start_in_thread("sandbox-ocsp")
