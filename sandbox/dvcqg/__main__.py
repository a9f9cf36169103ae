"""``python -m sandbox.dvcqg [--port 8007]`` — serve the local national public-service portal
(behind an LGSP). Point Công Sở at it with ``CONGSO_PORTAL_SYNC=lgsp``,
``CONGSO_PORTAL_SYNC_URL=http://127.0.0.1:8007``, ``CONGSO_PORTAL_SYNC_CLIENT_ID=congso`` and
``CONGSO_PORTAL_SYNC_CLIENT_SECRET=congso-sandbox-dvcqg-secret``."""

import argparse

from .server import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, build


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.dvcqg", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8007)
    parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID)
    parser.add_argument("--client-secret", default=DEFAULT_CLIENT_SECRET)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    running = build(
        args.host,
        args.port,
        client_id=args.client_id,
        client_secret=args.client_secret,
        verbose=args.verbose,
    )
    print(f"Cổng DVCQG thử nghiệm (qua LGSP) tại {running.base_url}", flush=True)
    running.serve_in_foreground()


if __name__ == "__main__":
    main()
