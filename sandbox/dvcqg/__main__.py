"""``python -m sandbox.dvcqg [--port 8007]`` — serve the local national public-service portal
(behind an LGSP). Point Công Sở at it with ``CONGSO_PORTAL_SYNC=lgsp``,
``CONGSO_PORTAL_SYNC_URL=http://127.0.0.1:8007``, ``CONGSO_PORTAL_SYNC_CLIENT_ID=congso`` and
``CONGSO_PORTAL_SYNC_CLIENT_SECRET=congso-sandbox-dvcqg-secret``."""

from ..wsgi import command_line, serve
from .server import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, build


def main(argv=None) -> None:
    parser = command_line("python -m sandbox.dvcqg", __doc__, 8007)
    parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID)
    parser.add_argument("--client-secret", default=DEFAULT_CLIENT_SECRET)
    args = parser.parse_args(argv)
    running = build(
        args.host,
        args.port,
        client_id=args.client_id,
        client_secret=args.client_secret,
        verbose=args.verbose,
    )
    serve(running, f"Cổng DVCQG thử nghiệm (qua LGSP) tại {running.base_url}")


if __name__ == "__main__":
    main()
