"""A local remote-signing service (the CA keeps the key, the official confirms on the phone),
for development and tests. ``python -m sandbox.remote_signing --port 8005`` serves it; tests call
``start_in_thread(port=0, ...)``."""

from .server import DEFAULT_SP_ID, DEFAULT_SP_PASSWORD, Running, build, start_in_thread
from .service import Account, RemoteSigning, account_from_pkcs12

__all__ = [
    "DEFAULT_SP_ID",
    "DEFAULT_SP_PASSWORD",
    "Account",
    "RemoteSigning",
    "Running",
    "account_from_pkcs12",
    "build",
    "start_in_thread",
]
