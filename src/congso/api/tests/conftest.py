import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from congso.accounts.models import Role
from congso.accounts.tests.factories import OfficialFactory, PositionFactory
from congso.api import partners


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Client secrets hashed quickly in tests: the checks are the same, the run shorter."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sysadmin(tree):
    return PositionFactory(
        unit=tree["province"], role=Role.SYSTEM_ADMIN, user=OfficialFactory(username="qtht")
    ).user


@pytest.fixture
def partner(sysadmin, tree):
    """``partner(*scopes, unit=commune A)`` → (client, secret)."""

    def make(*scopes, unit=None):
        return partners.create_client(
            sysadmin,
            name="Trục liên thông văn bản tỉnh",
            unit=unit or tree["commune_a"],
            scopes=list(scopes) or ["documents.exchange"],
        )

    return make


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    """A partner's endpoint: records what it gets; ``answers`` is the status codes to return."""
    got, answers = [], []

    def app(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        got.append((environ, body))
        status = answers.pop(0) if answers else "204 No Content"
        start_response(status, [])
        return [b""]

    server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    server.got, server.answers = got, answers
    server.url = f"http://127.0.0.1:{server.server_port}/hooks"
    yield server
    server.shutdown()
    server.server_close()
