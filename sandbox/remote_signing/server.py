"""Run the local remote-signing service: in a background thread (tests) or in the foreground
(``make run``)."""

from dataclasses import dataclass
from pathlib import Path

from sandbox.wsgi import Served, bind

from .service import RemoteSigning, account_from_pkcs12

DEFAULT_SP_ID = "congso"
DEFAULT_SP_PASSWORD = "congso-sandbox-remote-signing"


@dataclass
class Running(Served):
    service: RemoteSigning = None


def build(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    sp_id: str = DEFAULT_SP_ID,
    sp_password: str = DEFAULT_SP_PASSWORD,
    keys_dir: str | None = None,
    passphrase: str = "",
    verbose: bool = False,
) -> Running:
    """Bind first (``0`` picks a free port); each ``<user_id>.p12`` in ``keys_dir`` is a key."""
    server = bind(host, port, verbose=verbose)
    service = RemoteSigning(sp_id=sp_id, sp_password=sp_password)
    if keys_dir:
        for path in sorted(Path(keys_dir).glob("*.p12")):
            service.add_account(account_from_pkcs12(path.stem, path.read_bytes(), passphrase))
    server.set_app(service)
    return Running(server, service)


def start_in_thread(**kwargs) -> Running:
    return build(**kwargs).start_in_thread("sandbox-remote-signing")
