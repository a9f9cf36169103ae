"""Run the local payment gateway: in a background thread (tests) or in the foreground
(``make run``)."""

from dataclasses import dataclass

from sandbox.wsgi import Served, bind

from .gateway import Gateway

DEFAULT_TMN_CODE = "CONGSO01"
DEFAULT_SECRET = "congso-sandbox-payment-secret"
DEFAULT_IPN_URL = "http://127.0.0.1:8000/payments/ipn/"
PAY_PATH = "/paymentv2/vpcpay.html"


@dataclass
class Running(Served):
    gateway: Gateway = None

    @property
    def pay_url(self) -> str:
        """What the merchant sets as ``CONGSO_PAYMENT_URL``."""
        return f"{self.base_url}{PAY_PATH}"


def build(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    tmn_code: str = DEFAULT_TMN_CODE,
    secret: str = DEFAULT_SECRET,
    ipn_url: str = DEFAULT_IPN_URL,
    verbose: bool = False,
    **options,
) -> Running:
    """Bind the port first (``0`` picks a free one) so the caller learns the real address."""
    server = bind(host, port, verbose=verbose)
    gateway = Gateway(tmn_code=tmn_code, secret=secret, ipn_url=ipn_url, **options)
    server.set_app(gateway)
    return Running(server, gateway)


def start_in_thread(**kwargs) -> Running:
    return build(**kwargs).start_in_thread("sandbox-payment")
