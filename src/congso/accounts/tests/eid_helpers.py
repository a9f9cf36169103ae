"""Driving the national-eID flow in tests: the local provider in a thread, a browser's steps."""

import contextlib
import http.client
import socket
import threading
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.urls import reverse

CALLBACK = "http://testserver/accounts/eid/callback/"


def provider_redirect(url: str) -> str:
    """GET ``url`` at the provider and return where it redirects the browser."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}")
        response = connection.getresponse()
        assert response.status == 302, response.read()[:500]
        return response.getheader("Location")
    finally:
        connection.close()


def authorize(client, citizen: str = "040088007788", **start_params) -> str:
    """Start at our site, pick ``citizen`` at the provider; return the callback URL it sends."""
    start = client.get(reverse("accounts:eid_start"), start_params)
    assert start.status_code == 302, start
    return provider_redirect(f"{start.url}&citizen={citizen}")


def callback(client, location: str, **changes):
    """Follow the provider's redirect back to our callback (optionally altering the query)."""
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return client.get(parts.path, query)


def login_page_message(client, response) -> str:
    """The text of the login page a failed callback redirected to."""
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    return client.get(response.url).content.decode()


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(body, status: str = "200 OK"):
    """A server that answers every request with ``body`` (bytes, or a function of the server's
    URL giving bytes): a provider gone wrong."""
    url = ""

    def app(environ, start_response):
        start_response(status, [("Content-Type", "application/json")])
        return [body(url) if callable(body) else body]

    server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def speaking_garbage():
    """A TCP server that answers anything with bytes that are not HTTP."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(5)

    def answer():
        with contextlib.suppress(OSError):
            connection, _address = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"\x00\x01 khong phai HTTP\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()
        thread.join(timeout=5)
