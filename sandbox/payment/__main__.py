"""``python -m sandbox.payment [--host 127.0.0.1] [--port 8002] ...`` — serve the local payment
gateway (VNPay 2.1.0 protocol).

Point Công Sở at it with ``CONGSO_PAYMENT_URL=http://127.0.0.1:8002/paymentv2/vpcpay.html``,
``CONGSO_PAYMENT_TMN_CODE=CONGSO01`` and ``CONGSO_PAYMENT_HASH_SECRET=congso-sandbox-payment-secret``.
"""

from ..wsgi import command_line, serve
from .server import DEFAULT_IPN_URL, DEFAULT_SECRET, DEFAULT_TMN_CODE, build


def main(argv=None) -> None:
    parser = command_line("python -m sandbox.payment", __doc__, 8002)
    parser.add_argument("--tmn-code", default=DEFAULT_TMN_CODE, help="mã website của đơn vị")
    parser.add_argument("--secret", default=DEFAULT_SECRET, help="khoá bí mật tạo chữ ký")
    parser.add_argument("--ipn-url", default=DEFAULT_IPN_URL, help="địa chỉ IPN của đơn vị")
    args = parser.parse_args(argv)
    running = build(
        args.host,
        args.port,
        tmn_code=args.tmn_code,
        secret=args.secret,
        ipn_url=args.ipn_url,
        verbose=args.verbose,
    )
    serve(running, f"Cổng thanh toán thử nghiệm tại {running.pay_url}")


if __name__ == "__main__":
    main()
