"""Run the local national portal: in a thread (tests) or in the foreground (``make run``)."""

from dataclasses import dataclass

from sandbox.wsgi import Served, bind

from .portal import Portal

DEFAULT_CLIENT_ID = "congso"
DEFAULT_CLIENT_SECRET = "congso-sandbox-dvcqg-secret"


@dataclass
class Running(Served):
    portal: Portal = None


def build(
    host="127.0.0.1",
    port=0,
    *,
    client_id=DEFAULT_CLIENT_ID,
    client_secret=DEFAULT_CLIENT_SECRET,
    verbose=False,
):
    server = bind(host, port, verbose=verbose)
    portal = Portal(clients={client_id: client_secret})
    server.set_app(portal)
    return Running(server, portal)


def start_in_thread(**kwargs) -> Running:
    return build(**kwargs).start_in_thread("sandbox-dvcqg")
