"""``python -m sandbox.bbb [--port 8010] [--secret …]`` — serve the local BigBlueButton API.
Point the platform at it with ``CONGSO_BBB_URL=http://127.0.0.1:8010/bigbluebutton`` and the
same ``CONGSO_BBB_SECRET``."""

import argparse

from . import DEFAULT_SECRET, build


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.bbb", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--secret", default=DEFAULT_SECRET)
    parser.add_argument("--algorithm", default="sha1")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    running = build(
        args.host, args.port, secret=args.secret, algorithm=args.algorithm, verbose=args.verbose
    )
    print(f"BigBlueButton thử nghiệm tại {running.url}", flush=True)
    running.serve_in_foreground()


if __name__ == "__main__":
    main()
