"""``python -m sandbox.remote_signing [--host 127.0.0.1] [--port 8005] --keys DIR`` — serve the
local remote-signing service. Each ``<user_id>.p12`` in ``DIR`` (opened with ``--passphrase``)
is an official's key kept by the "CA"; the official confirms at ``/app/<user_id>``.

Point Công Sở at it with ``CONGSO_REMOTE_SIGNING_URL=http://127.0.0.1:8003``,
``CONGSO_REMOTE_SIGNING_SP_ID=congso`` and
``CONGSO_REMOTE_SIGNING_SP_PASSWORD=congso-sandbox-remote-signing``.
"""

import os

from ..wsgi import command_line, serve
from .server import DEFAULT_SP_ID, DEFAULT_SP_PASSWORD, build


def main(argv=None) -> None:
    parser = command_line("python -m sandbox.remote_signing", __doc__, 8003)
    parser.add_argument("--sp-id", default=DEFAULT_SP_ID)
    parser.add_argument("--sp-password", default=DEFAULT_SP_PASSWORD)
    parser.add_argument("--keys", default="var/remote_signing", help="thư mục các tệp .p12")
    parser.add_argument(
        "--passphrase",
        default=os.environ.get("CONGSO_SIGNING_PASSPHRASE", "congso-dev-signing-passphrase"),
    )
    args = parser.parse_args(argv)
    os.makedirs(args.keys, exist_ok=True)
    running = build(
        args.host,
        args.port,
        sp_id=args.sp_id,
        sp_password=args.sp_password,
        keys_dir=args.keys,
        passphrase=args.passphrase,
        verbose=args.verbose,
    )
    serve(running, f"Dịch vụ ký số từ xa thử nghiệm tại {running.base_url}")


if __name__ == "__main__":
    main()
