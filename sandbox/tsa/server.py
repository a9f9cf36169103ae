"""The WSGI app of the local TSA and its runner (background thread or foreground)."""

import asyncio
import datetime as dt
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

from sandbox.wsgi import Served, bind

MAX_QUERY = 16 * 1024


def _asn1(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _self_issued():
    """For ``make run`` without a key: a self-signed TSA certificate made at start."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Công Sở Sandbox TSA")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate, []


class TimeStampAuthority:
    def __init__(self, key, certificate, chain=()):
        der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.stamper = DummyTimeStamper(
            tsa_cert=_asn1(certificate),
            tsa_key=asn1_keys.PrivateKeyInfo.load(der),
            certs_to_embed=[_asn1(c) for c in chain],
        )
        self.issued = 0

    def __call__(self, environ, start_response):
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip()
        if environ["REQUEST_METHOD"] != "POST" or content_type != "application/timestamp-query":
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"POST an RFC 3161 TimeStampReq (application/timestamp-query)."]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            query = tsp.TimeStampReq.load(environ["wsgi.input"].read(min(length, MAX_QUERY)))
            query.native  # noqa: B018 - parse it all now: a malformed query is refused here
            response = asyncio.run(self.stamper.async_request_tsa_response(query))
        except Exception:  # noqa: BLE001 - any malformed query
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"Malformed TimeStampReq."]
        self.issued += 1
        start_response("200 OK", [("Content-Type", "application/timestamp-reply")])
        return [response.dump()]


@dataclass
class Running(Served):
    authority: TimeStampAuthority = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"


def build(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    tsa_pkcs12: bytes | None = None,
    passphrase: str = "",
    issued: tuple | None = None,
    verbose: bool = False,
) -> Running:
    """``issued``: ``(key, certificate, chain)`` (pyca objects) instead of a PKCS#12 file."""
    if issued:
        key, certificate, chain = issued
    elif tsa_pkcs12:
        key, certificate, chain = pkcs12.load_key_and_certificates(tsa_pkcs12, passphrase.encode())
    else:
        key, certificate, chain = _self_issued()
    server = bind(host, port, verbose=verbose)
    authority = TimeStampAuthority(key, certificate, chain or [])
    server.set_app(authority)
    return Running(server, authority)


def start_in_thread(**kwargs) -> Running:
    return build(**kwargs).start_in_thread("sandbox-tsa")
