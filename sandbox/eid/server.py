"""Run the local eID provider: in a background thread (tests) or in the foreground (``make run``)."""

from dataclasses import dataclass

from sandbox.wsgi import Served, bind

from .provider import Client, Provider

DEFAULT_CLIENT_ID = "congso"
DEFAULT_CLIENT_SECRET = "congso-sandbox-secret"
DEFAULT_REDIRECT_URIS = [
    "http://127.0.0.1:8000/accounts/eid/callback/",
    "http://localhost:8000/accounts/eid/callback/",
]
DEFAULT_POST_LOGOUT_URIS = [
    "http://127.0.0.1:8000/accounts/eid/logged-out/",
    "http://localhost:8000/accounts/eid/logged-out/",
]
DEFAULT_BACKCHANNEL_URI = "http://127.0.0.1:8000/accounts/eid/backchannel-logout/"


@dataclass
class Running(Served):
    provider: Provider = None

    @property
    def issuer(self) -> str:
        return self.provider.issuer


def build(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    issuer: str = "",
    client_id: str = DEFAULT_CLIENT_ID,
    client_secret: str = DEFAULT_CLIENT_SECRET,
    redirect_uris: list[str] | None = None,
    auth_methods: tuple[str, ...] | None = None,
    post_logout_redirect_uris: list[str] | None = None,
    backchannel_logout_uri: str = DEFAULT_BACKCHANNEL_URI,
    verbose: bool = False,
    **options,
) -> Running:
    """Bind the port first (``0`` picks a free one), so the issuer can name the real port."""
    server = bind(host, port, verbose=verbose)
    client = Client(
        client_id,
        client_secret,
        list(redirect_uris or DEFAULT_REDIRECT_URIS),
        post_logout_redirect_uris=list(post_logout_redirect_uris or DEFAULT_POST_LOGOUT_URIS),
        backchannel_logout_uri=backchannel_logout_uri,
    )
    if auth_methods:
        client.auth_methods = tuple(auth_methods)
    provider = Provider(
        issuer=issuer or f"http://{host}:{server.server_port}", clients=[client], **options
    )
    server.set_app(provider)
    return Running(server, provider)


def start_in_thread(**kwargs) -> Running:
    return build(**kwargs).start_in_thread("sandbox-eid")
