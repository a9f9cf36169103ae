"""Run the local eID provider: in a background thread (tests) or in the foreground (``make run``)."""

import threading
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from .provider import Client, Provider

DEFAULT_CLIENT_ID = "congso"
DEFAULT_CLIENT_SECRET = "congso-sandbox-secret"
DEFAULT_REDIRECT_URIS = [
    "http://127.0.0.1:8000/accounts/eid/callback/",
    "http://localhost:8000/accounts/eid/callback/",
]


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    verbose = False

    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        if self.verbose:
            super().log_message(format, *args)


@dataclass
class Running:
    provider: Provider
    server: WSGIServer
    thread: threading.Thread | None

    @property
    def issuer(self) -> str:
        return self.provider.issuer

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)


def build(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    issuer: str = "",
    client_id: str = DEFAULT_CLIENT_ID,
    client_secret: str = DEFAULT_CLIENT_SECRET,
    redirect_uris: list[str] | None = None,
    auth_methods: tuple[str, ...] | None = None,
    verbose: bool = False,
    **options,
) -> Running:
    """Bind the port first (``0`` picks a free one), so the issuer can name the real port."""
    handler = type("Handler", (_QuietHandler,), {"verbose": verbose})
    server = _Server((host, port), handler)
    client = Client(client_id, client_secret, list(redirect_uris or DEFAULT_REDIRECT_URIS))
    if auth_methods:
        client.auth_methods = tuple(auth_methods)
    provider = Provider(
        issuer=issuer or f"http://{host}:{server.server_port}", clients=[client], **options
    )
    server.set_app(provider)
    return Running(provider=provider, server=server, thread=None)


def start_in_thread(**kwargs) -> Running:
    running = build(**kwargs)
    running.thread = threading.Thread(
        target=running.server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="sandbox-eid",
        daemon=True,
    )
    running.thread.start()
    return running
