"""The small threaded WSGI server both sandboxes run on: bound before the app is built (port 0
picks a free one, so the app can learn its own address), quiet unless asked, and stoppable from
the test that started it in a thread."""

import argparse
import threading
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer


def query_values(environ) -> dict:
    """The query string as one value per name (the first, as a browser sends one)."""
    return _first(parse_qs(environ.get("QUERY_STRING", "")))


def form_values(environ) -> dict:
    """A url-encoded POST body (at most 100 kB read) as one value per name."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(min(length, 100_000)).decode("utf-8", "replace")
    return _first(parse_qs(body))


def _first(parsed: dict) -> dict:
    return {key: values[0] for key, values in parsed.items() if values}


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    verbose = False

    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        if self.verbose:
            super().log_message(format, *args)


def bind(host: str, port: int, *, verbose: bool = False) -> Server:
    handler = type("Handler", (QuietHandler,), {"verbose": verbose})
    return Server((host, port), handler)


@dataclass
class Served:
    """A bound server and, once started in the background, its thread."""

    server: WSGIServer

    def __post_init__(self):
        self.thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start_in_thread(self, name: str):
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=name,
            daemon=True,
        )
        self.thread.start()
        return self

    def serve_in_foreground(self) -> None:
        try:
            self.server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.server.server_close()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)


def command_line(prog: str, description: str, port: int) -> argparse.ArgumentParser:
    """The options every sandbox server takes (``--host``, ``--port``, ``--verbose``); its
    ``__main__`` adds its own."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--verbose", action="store_true")
    return parser


def serve(running: Served, banner: str) -> None:
    """Say where the sandbox answers, then serve until Ctrl+C."""
    print(banner, flush=True)  # noqa: T201 - the one line a developer reads
    running.serve_in_foreground()
