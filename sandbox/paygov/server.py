"""Run the local national payment platform: in a thread (tests) or in the foreground."""

from dataclasses import dataclass

from sandbox.wsgi import Served, bind

from .platform import Platform

DEFAULT_PARTNER_CODE = "CONGSO"
DEFAULT_ACCESS_KEY = "congso-access"
DEFAULT_SECRET = "congso-sandbox-paygov-secret"


@dataclass
class Running(Served):
    platform: Platform = None


def build(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    partner_code: str = DEFAULT_PARTNER_CODE,
    access_key: str = DEFAULT_ACCESS_KEY,
    secret: str = DEFAULT_SECRET,
    verbose: bool = False,
    **options,
) -> Running:
    server = bind(host, port, verbose=verbose)
    running = Running(server)
    running.platform = Platform(partner_code, access_key, secret, **options)
    running.platform.base_url = running.base_url
    server.set_app(running.platform)
    return running


def start_in_thread(**kwargs) -> Running:
    return build(**kwargs).start_in_thread("sandbox-paygov")
