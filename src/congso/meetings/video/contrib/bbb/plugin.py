"""BigBlueButton through its API: every call is ``<server>/api/<call>?<query>&checksum=<hex>``
where ``checksum = sha1(call + query + shared_secret)`` (sha256 and others when the server is
configured for them). ``create`` opens the room (idempotent), ``join`` lets one person in with a
role: ``MODERATOR`` for the chair and the host, ``VIEWER`` for everyone else.
"""

import hashlib
import re
import urllib.request
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...base import Participant, Provider, RoomSpec, RoomUnavailable
from ...registry import registry

ALGORITHMS = {"sha1", "sha256", "sha384", "sha512"}


def checksum(call: str, query: str, secret: str, algorithm: str = "sha1") -> str:
    return hashlib.new(algorithm, (call + query + secret).encode()).hexdigest()


@registry.register("bbb")
class BigBlueButtonProvider(Provider):
    verbose_name = gettext_lazy("BigBlueButton")

    def __init__(self, url=None, secret=None, algorithm=None):
        base = url or settings.CONGSO_BBB_URL or "https://bbb.example.vn/bigbluebutton"
        self.url = base.rstrip("/")
        if self.url.endswith("/api"):
            self.url = self.url[: -len("/api")]
        self.secret = secret or settings.CONGSO_BBB_SECRET
        self.algorithm = (algorithm or settings.CONGSO_BBB_CHECKSUM or "sha1").lower()
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"unsupported BigBlueButton checksum algorithm {self.algorithm!r}")

    def call_url(self, call: str, params: dict) -> str:
        query = urlencode(params)
        digest = checksum(call, query, self.secret, self.algorithm)
        return f"{self.url}/api/{call}?{query}&checksum={digest}"

    def create_url(self, spec: RoomSpec) -> str:
        duration = max(1, int((spec.end - spec.start).total_seconds() // 60))
        return self.call_url(
            "create",
            {
                "name": spec.title,
                "meetingID": spec.room,
                "duration": duration + 60,
                "record": "false",
            },
        )

    def join_url(self, spec: RoomSpec, participant: Participant, now) -> str:
        params = {
            "fullName": participant.name,
            "meetingID": spec.room,
            "role": "MODERATOR" if participant.moderator else "VIEWER",
            "redirect": "true",
        }
        if participant.ident:
            params["userID"] = participant.ident
        return self.call_url("join", params)

    def call(self, url: str, timeout: float = 10.0) -> bytes:
        """GET one API URL and return the XML answer."""
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310
            return answer.read()

    def open_room(self, spec: RoomSpec, timeout: float = 10.0) -> bytes:
        """Call ``create`` (BigBlueButton answers SUCCESS again for a room that exists), so that
        ``join`` finds the room; a refusal or an unreachable server is ``RoomUnavailable``."""
        try:
            answer = self.call(self.create_url(spec), timeout=timeout)
        except (OSError, ValueError) as exc:
            raise RoomUnavailable(
                _("Không kết nối được máy chủ BigBlueButton; hãy thử lại sau.")
            ) from exc
        code, message = _returncode(answer)
        if code != "SUCCESS":
            raise RoomUnavailable(
                _("Máy chủ BigBlueButton từ chối mở phòng họp: %(reason)s")
                % {"reason": message or code or "?"}
            )
        return answer


def _returncode(answer: bytes) -> tuple[str, str]:
    """``returncode`` and ``message`` of an API answer (empty strings when absent). A pattern, not
    an XML parser: the answer is two flat elements and no entity is ever expanded."""
    found = {
        tag: re.search(rb"<%s>\s*([^<]*?)\s*</%s>" % (tag, tag), answer)
        for tag in (b"returncode", b"message")
    }
    return tuple(m.group(1).decode("utf-8", "replace") if m else "" for m in found.values())
