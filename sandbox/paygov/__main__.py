"""``python -m sandbox.paygov [--host 127.0.0.1] [--port 8003]`` — serve the local national
payment platform. Point Công Sở at it with ``CONGSO_PAYMENT_PROVIDER=paygov`` and
``CONGSO_PAYGOV_URL=http://127.0.0.1:8003`` (the other ``CONGSO_PAYGOV_*`` default to the
sandbox's partner code and keys outside production)."""

import argparse

from .server import DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_CODE, DEFAULT_SECRET, build


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.paygov", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8003)
    parser.add_argument("--partner-code", default=DEFAULT_PARTNER_CODE)
    parser.add_argument("--access-key", default=DEFAULT_ACCESS_KEY)
    parser.add_argument("--secret", default=DEFAULT_SECRET)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    running = build(
        args.host,
        args.port,
        partner_code=args.partner_code,
        access_key=args.access_key,
        secret=args.secret,
        verbose=args.verbose,
    )
    print(f"Nền tảng thanh toán thử nghiệm tại {running.base_url}", flush=True)
    running.serve_in_foreground()


if __name__ == "__main__":
    main()
