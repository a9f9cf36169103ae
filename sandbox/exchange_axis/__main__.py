"""``python -m sandbox.exchange_axis [--port 8004] [--agent ID=Name ...]`` — serve the local
exchange axis. Point Công Sở at it with ``CONGSO_EXCHANGE_TRANSPORT=axis``,
``CONGSO_EXCHANGE_URL=http://127.0.0.1:8004`` and
``CONGSO_EXCHANGE_TOKEN=congso-sandbox-axis-token``."""

from ..wsgi import command_line, serve
from .server import DEFAULT_TOKEN, build


def main(argv=None) -> None:
    parser = command_line("python -m sandbox.exchange_axis", __doc__, 8004)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument(
        "--agent",
        action="append",
        default=["000.00.00.G22=Bộ Nội vụ (thử nghiệm)"],
        help="cơ quan ngoài hệ thống do trục tự trả lời: MÃ=Tên",
    )
    args = parser.parse_args(argv)
    agents = dict(item.split("=", 1) for item in args.agent)
    running = build(args.host, args.port, tokens=[args.token], agents=agents, verbose=args.verbose)
    serve(running, f"Trục liên thông thử nghiệm tại {running.base_url}")


if __name__ == "__main__":
    main()
