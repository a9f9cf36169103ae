"""``python -m sandbox.sms [--port 8009] [--token …]`` — serve the local SMS gateway. Point the
platform at it with ``CONGSO_SMS_PROVIDER=http_gateway``,
``CONGSO_SMS_GATEWAY_URL=http://127.0.0.1:8009/v1/messages`` and the same token."""

import argparse

from . import DEFAULT_TOKEN, build


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.sms", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8009)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    running = build(args.host, args.port, token=args.token, verbose=args.verbose)
    print(f"Cổng SMS thử nghiệm tại {running.url}", flush=True)
    running.serve_in_foreground()


if __name__ == "__main__":
    main()
