"""``python -m sandbox.tsa [--host 127.0.0.1] [--port 8004] [--key tsa.p12]`` — serve the local
RFC 3161 time-stamp authority. Point Công Sở at it with ``CONGSO_TSA_URL=http://127.0.0.1:8004/``.
Without ``--key`` it makes a self-signed TSA certificate at start (development only)."""

import os
from pathlib import Path

from ..wsgi import command_line, serve
from .server import build


def main(argv=None) -> None:
    parser = command_line("python -m sandbox.tsa", __doc__, 8004)
    parser.add_argument("--key", help="PKCS#12 của chứng thư TSA (và chuỗi CA)")
    parser.add_argument(
        "--passphrase",
        default=os.environ.get("CONGSO_SIGNING_PASSPHRASE", "congso-dev-signing-passphrase"),
    )
    args = parser.parse_args(argv)
    data = Path(args.key).read_bytes() if args.key and Path(args.key).exists() else None
    running = build(
        args.host, args.port, tsa_pkcs12=data, passphrase=args.passphrase, verbose=args.verbose
    )
    serve(running, f"Dịch vụ cấp dấu thời gian thử nghiệm tại {running.url}")


if __name__ == "__main__":
    main()
