"""``python -m sandbox.ocsp --ca ca.p12 [--revoked revoked.json] [--port 8007]`` — serve the OCSP
responder of the CA in ``ca.p12`` (key and certificate). ``revoked.json`` maps hexadecimal
serials to ISO 8601 revocation times and is re-read on every request."""

import argparse
import os
from pathlib import Path

from congso.signing import pki

from .server import build


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.ocsp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8007)
    parser.add_argument("--ca", required=True, help="PKCS#12 của CA (khoá và chứng thư)")
    parser.add_argument("--revoked", type=Path, help="JSON {số hiệu hex: thời điểm thu hồi}")
    parser.add_argument(
        "--passphrase",
        default=os.environ.get("CONGSO_SIGNING_PASSPHRASE", "congso-dev-signing-passphrase"),
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    issuer = pki.from_pkcs12(Path(args.ca).read_bytes(), args.passphrase)
    running = build(issuer, args.host, args.port, revoked_file=args.revoked, verbose=args.verbose)
    print(f"Dịch vụ OCSP thử nghiệm tại {running.url}", flush=True)
    running.serve_in_foreground()


if __name__ == "__main__":
    main()
