"""``python -m sandbox.smtp --port 9177 --maildir var/mail [--delay 0.2]`` — a mail relay
that keeps every message it accepts in a Maildir, for ``make cluster``: a test counts what
was delivered (each Message-ID once). ``--delay`` holds each message that long before accepting
it, so a worker can be killed in the middle of sending."""

import argparse
import asyncio
import signal
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox


class SlowMailbox(Mailbox):
    def __init__(self, path: Path, delay: float):
        super().__init__(str(path))
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.smtp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--maildir", type=Path, required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    args.maildir.parent.mkdir(parents=True, exist_ok=True)
    controller = Controller(SlowMailbox(args.maildir, args.delay), args.host, args.port)
    controller.start()
    print(f"Hộp thư thử nghiệm (SMTP) tại {args.host}:{args.port}", flush=True)
    stopped = asyncio.Event()
    loop = asyncio.new_event_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    try:
        loop.run_until_complete(stopped.wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
