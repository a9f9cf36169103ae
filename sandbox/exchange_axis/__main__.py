"""``python -m sandbox.exchange_axis [--port 8004] [--agent ID=Name ...]`` — serve the local
exchange axis. Point Công Sở at it with ``CONGSO_EXCHANGE_TRANSPORT=axis``,
``CONGSO_EXCHANGE_URL=http://127.0.0.1:8004`` and
``CONGSO_EXCHANGE_TOKEN=congso-sandbox-axis-token``."""

import argparse

from .server import DEFAULT_TOKEN, build


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.exchange_axis", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8004)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument(
        "--agent",
        action="append",
        default=["000.00.00.G22=Bộ Nội vụ (thử nghiệm)"],
        help="cơ quan ngoài hệ thống do trục tự trả lời: MÃ=Tên",
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    agents = dict(item.split("=", 1) for item in args.agent)
    running = build(args.host, args.port, tokens=[args.token], agents=agents, verbose=args.verbose)
    print(f"Trục liên thông thử nghiệm tại {running.base_url}", flush=True)
    running.serve_in_foreground()


if __name__ == "__main__":
    main()
