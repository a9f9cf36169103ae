"""``python -m sandbox.imap --port 8350 --user vanban@xa.gov.vn --password …`` — a private Dovecot
for trying the official-mailbox page by hand; stops on Ctrl-C."""

import argparse
import signal
import threading

from . import Dovecot


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.imap", description=__doc__)
    parser.add_argument("--port", type=int, default=8350)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args(argv)
    server = Dovecot(args.port)
    server.add_user(args.user, args.password)
    server.start()
    print(f"Máy chủ IMAP thử nghiệm tại {server.host}:{server.port}", flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    try:
        stopped.wait()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
