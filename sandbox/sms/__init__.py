"""A local brandname-SMS gateway speaking the ``http_gateway`` plugin's protocol
(``notify/sms/contrib/http_gateway``): ``POST /v1/messages`` with ``Authorization: Bearer``
and a JSON body ``{"to", "text", "reference"}``; answers ``{"id": …}``. Like a real reseller it
refuses a wrong token (401) and a number that is not E.164 (400, for good), sends a message once
per ``reference`` (a retried send gets the first id back) and can be told to fail for a while
(``fail_next``: 503, retried by the outbox). ``python -m sandbox.sms --port 8009``."""

import itertools
import json
import re
import threading
from dataclasses import dataclass, field

from sandbox.wsgi import Served, bind

DEFAULT_TOKEN = "congso-sandbox-sms-token"
PATH = "/v1/messages"
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")


@dataclass
class SmsGateway:
    token: str = DEFAULT_TOKEN
    messages: list = field(default_factory=list)
    fail_next: int = 0

    def __post_init__(self):
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._by_reference: dict[str, str] = {}

    def __call__(self, environ, start_response):
        status, answer = self.handle(environ)
        body = json.dumps(answer).encode()
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]

    def handle(self, environ) -> tuple[str, dict]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return "404 Not Found", {"error": "not found"}
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.token}":
            return "401 Unauthorized", {"error": "invalid token"}
        try:
            length = min(int(environ.get("CONTENT_LENGTH") or 0), 100_000)
            message = json.loads(environ["wsgi.input"].read(length))
        except ValueError:
            return "400 Bad Request", {"error": "invalid JSON"}
        if not isinstance(message, dict) or not _E164.match(str(message.get("to", ""))):
            return "400 Bad Request", {"error": "invalid number"}
        if not str(message.get("text", "")).strip():
            return "400 Bad Request", {"error": "empty text"}
        with self._lock:
            if self.fail_next:
                self.fail_next -= 1
                return "503 Service Unavailable", {"error": "try again"}
            reference = str(message.get("reference", ""))
            if reference and reference in self._by_reference:
                return "200 OK", {"id": self._by_reference[reference]}
            message_id = f"sms-{next(self._ids)}"
            self.messages.append({"id": message_id, **message})
            if reference:
                self._by_reference[reference] = message_id
        return "200 OK", {"id": message_id}


@dataclass
class Running(Served):
    gateway: SmsGateway = None

    @property
    def url(self) -> str:
        """What the platform sets as ``CONGSO_SMS_GATEWAY_URL``."""
        return self.base_url + PATH


def build(host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False, **options) -> Running:
    server = bind(host, port, verbose=verbose)
    gateway = SmsGateway(**options)
    server.set_app(gateway)
    return Running(server, gateway)


def start_in_thread(**kwargs) -> Running:
    return build(**kwargs).start_in_thread("sandbox-sms")
