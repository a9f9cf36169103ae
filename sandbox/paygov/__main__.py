"""``python -m sandbox.paygov [--host 127.0.0.1] [--port 8003]`` — serve the local national
payment platform. Point Công Sở at it with ``CONGSO_PAYMENT_PROVIDER=paygov`` and
``CONGSO_PAYGOV_URL=http://127.0.0.1:8003`` (the other ``CONGSO_PAYGOV_*`` default to the
sandbox's partner code and keys outside production)."""

from ..wsgi import command_line, serve
from .server import DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_CODE, DEFAULT_SECRET, build


def main(argv=None) -> None:
    parser = command_line("python -m sandbox.paygov", __doc__, 8003)
    parser.add_argument("--partner-code", default=DEFAULT_PARTNER_CODE)
    parser.add_argument("--access-key", default=DEFAULT_ACCESS_KEY)
    parser.add_argument("--secret", default=DEFAULT_SECRET)
    args = parser.parse_args(argv)
    running = build(
        args.host,
        args.port,
        partner_code=args.partner_code,
        access_key=args.access_key,
        secret=args.secret,
        verbose=args.verbose,
    )
    serve(running, f"Nền tảng thanh toán thử nghiệm tại {running.base_url}")


if __name__ == "__main__":
    main()
