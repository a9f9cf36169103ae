"""A local Jitsi Meet web entry with token authentication, as prosody's ``token`` module checks
it (``authentication = "token"``): ``GET /<room>?jwt=<HS256 JWT>`` is let in only when the token
is signed with the shared ``app_secret``, its ``iss`` is the ``app_id``, its ``aud`` an accepted
audience, its ``sub`` the domain, its ``room`` the requested room (lower case, as Jitsi
normalises it) and ``nbf``/``exp`` hold now. The answer is JSON: the room and whether the token
makes the participant a moderator (``context.user.moderator``, Jitsi's token_affiliation);
403 with the reason otherwise. ``admitted`` records who came in."""

import json
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote

import jwt

from sandbox.wsgi import Served, bind


@dataclass
class Jitsi:
    domain: str
    app_id: str
    secret: str
    audience: str = "jitsi"
    admitted: list = field(default_factory=list)  # (room, name, moderator)

    def __post_init__(self):
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        status, body = self.answer(environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
        )
        return [data]

    def answer(self, path: str, query_string: str) -> tuple[str, dict]:
        room = unquote(path.strip("/"))
        token = parse_qs(query_string).get("jwt", [""])[0]
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                audience=self.audience,
                issuer=self.app_id,
                options={"require": ["exp", "nbf", "aud", "iss", "sub", "room"]},
            )
        except jwt.InvalidTokenError as exc:
            return "403 Forbidden", {"error": f"token: {exc}"}
        if claims["sub"] != self.domain or claims["room"] != room.lower():
            return "403 Forbidden", {"error": "token for another domain or room"}
        user = claims.get("context", {}).get("user", {})
        moderator = bool(user.get("moderator"))
        with self._lock:
            self.admitted.append((room, user.get("name", ""), moderator))
        return "200 OK", {"room": room, "moderator": moderator}


@dataclass
class Running(Served):
    jitsi: Jitsi = None


def start_in_thread(**options) -> Running:
    server = bind("127.0.0.1", 0)
    jitsi = Jitsi(**options)
    server.set_app(jitsi)
    return Running(server, jitsi).start_in_thread("sandbox-jitsi")
