"""A local BigBlueButton speaking its API (``/bigbluebutton/api/<call>?<query>&checksum=<hex>``,
``checksum = <algorithm>(call + query + shared secret)``): it checks every checksum as
BigBlueButton does, ``create`` opens a room (again: SUCCESS, as the real server answers),
``join`` lets a person in with their role only into a room that was created, ``getMeetings``
lists the rooms. ``rooms`` and ``calls`` record what happened.
``python -m sandbox.bbb --port 8010 --secret …``."""

import hashlib
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from sandbox.wsgi import Served, bind

DEFAULT_SECRET = "congso-sandbox-bbb-secret"
PREFIX = "/bigbluebutton/api/"


@dataclass
class BigBlueButton:
    secret: str = DEFAULT_SECRET
    algorithm: str = "sha1"
    rooms: dict = field(default_factory=dict)  # meetingID → name
    calls: list = field(default_factory=list)  # (call, params)

    def __post_init__(self):
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        body = self.answer(environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
        return [body]

    def answer(self, path: str, query_string: str) -> bytes:
        call = path.removeprefix(PREFIX) if path.startswith(PREFIX) else ""
        query, _sep, digest = query_string.rpartition("&checksum=")
        params = {key: values[0] for key, values in parse_qs(query).items()}
        with self._lock:
            self.calls.append((call, params))
            expected = hashlib.new(self.algorithm, (call + query + self.secret).encode())
            if digest != expected.hexdigest():
                return _xml("FAILED", "checksumError")
            room = params.get("meetingID", "")
            if call == "create":
                self.rooms.setdefault(room, params.get("name", room))
                return _xml("SUCCESS", "", f"<meetingID>{room}</meetingID>")
            if call == "join":
                if room not in self.rooms:
                    return _xml("FAILED", "notFound")
                if params.get("role") not in ("MODERATOR", "VIEWER"):
                    return _xml("FAILED", "invalidRole")
                return _xml("SUCCESS", "", f"<meeting_id>{room}</meeting_id>")
            if call == "getMeetings":
                listed = "".join(
                    f"<meeting><meetingID>{r}</meetingID></meeting>" for r in self.rooms
                )
                return _xml("SUCCESS", "", f"<meetings>{listed}</meetings>")
        return _xml("FAILED", "unsupportedRequest")


def _xml(code: str, key: str, extra: str = "") -> bytes:
    return (
        f"<response><returncode>{code}</returncode><messageKey>{key}</messageKey>"
        f"<message>{key}</message>{extra}</response>"
    ).encode()


@dataclass
class Running(Served):
    bbb: BigBlueButton = None

    @property
    def url(self) -> str:
        """What the platform sets as ``CONGSO_BBB_URL``."""
        return self.base_url + "/bigbluebutton"


def build(host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False, **options) -> Running:
    server = bind(host, port, verbose=verbose)
    bbb = BigBlueButton(**options)
    server.set_app(bbb)
    return Running(server, bbb)


def start_in_thread(**kwargs) -> Running:
    return build(**kwargs).start_in_thread("sandbox-bbb")
