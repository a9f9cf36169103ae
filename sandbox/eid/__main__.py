"""``python -m sandbox.eid [--host 127.0.0.1] [--port 8001] ...`` — serve the local eID provider.

Point Công Sở at it with ``CONGSO_OIDC_ISSUER=http://127.0.0.1:8001``,
``CONGSO_OIDC_CLIENT_ID=congso`` and ``CONGSO_OIDC_CLIENT_SECRET=congso-sandbox-secret``.
"""

from ..wsgi import command_line, serve
from .server import (
    DEFAULT_BACKCHANNEL_URI,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_POST_LOGOUT_URIS,
    DEFAULT_REDIRECT_URIS,
    build,
)


def main(argv=None) -> None:
    parser = command_line("python -m sandbox.eid", __doc__, 8001)
    parser.add_argument("--issuer", default="", help="mặc định http://HOST:PORT")
    parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID)
    parser.add_argument("--client-secret", default=DEFAULT_CLIENT_SECRET)
    parser.add_argument(
        "--redirect-uri",
        action="append",
        dest="redirect_uris",
        help="địa chỉ callback được phép (lặp lại được); mặc định cổng 8000 của máy",
    )
    parser.add_argument(
        "--post-logout-uri",
        action="append",
        dest="post_logout_uris",
        help="địa chỉ quay về sau đăng xuất được phép (lặp lại được)",
    )
    parser.add_argument(
        "--backchannel-uri",
        default=DEFAULT_BACKCHANNEL_URI,
        help="địa chỉ nhận thông báo đăng xuất (back-channel logout) của ứng dụng",
    )
    parser.add_argument(
        "--dialect", choices=("oidc", "portal"), default="oidc", help="tên các claim trả về"
    )
    parser.add_argument("--id-claim", default="citizen_id", help="tên claim chứa số định danh")
    args = parser.parse_args(argv)
    running = build(
        args.host,
        args.port,
        issuer=args.issuer,
        client_id=args.client_id,
        client_secret=args.client_secret,
        redirect_uris=args.redirect_uris or DEFAULT_REDIRECT_URIS,
        post_logout_redirect_uris=args.post_logout_uris or DEFAULT_POST_LOGOUT_URIS,
        backchannel_logout_uri=args.backchannel_uri,
        dialect=args.dialect,
        id_claim=args.id_claim,
        verbose=args.verbose,
    )
    serve(running, f"VNeID thử nghiệm (OpenID Connect) tại {running.issuer}")


if __name__ == "__main__":
    main()
