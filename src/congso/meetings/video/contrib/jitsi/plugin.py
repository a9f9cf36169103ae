"""Jitsi Meet with token authentication (prosody ``token`` module, ``authentication = "token"``).

Jitsi checks an HS256 JWT signed with the ``app_secret`` shared with prosody: ``iss`` is the
``app_id``, ``aud`` an accepted audience, ``sub`` the domain (or tenant), ``room`` the room name
(lower case, as Jitsi normalises it), ``nbf``/``exp`` the validity, and ``context.user`` who joins;
``moderator`` gives the participant moderator rights (Jitsi's token_affiliation module).
"""

import datetime as dt
from urllib.parse import quote

import jwt
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ...base import Participant, Provider, RoomSpec
from ...registry import registry

#: Tokens are accepted a little before they are minted, so a server clock a minute behind ours
#: does not reject them.
CLOCK_SKEW = dt.timedelta(seconds=60)
#: How long after the planned end a link keeps working (briefings overrun).
GRACE_AFTER_END = dt.timedelta(hours=2)


@registry.register("jitsi")
class JitsiProvider(Provider):
    verbose_name = _("Jitsi Meet")

    def __init__(self, domain=None, app_id=None, secret=None, audience=None):
        self.domain = domain or settings.CONGSO_JITSI_DOMAIN
        self.app_id = app_id or settings.CONGSO_JITSI_APP_ID
        self.secret = secret or settings.CONGSO_JITSI_SECRET
        self.audience = audience or settings.CONGSO_JITSI_AUDIENCE

    def claims(self, spec: RoomSpec, participant: Participant, now: dt.datetime) -> dict:
        expires = max(spec.end, now) + GRACE_AFTER_END
        return {
            "aud": self.audience,
            "iss": self.app_id,
            "sub": self.domain,
            "room": spec.room.lower(),
            "nbf": int((now - CLOCK_SKEW).timestamp()),
            "exp": int(expires.timestamp()),
            "context": {
                "user": {
                    "id": participant.ident,
                    "name": participant.name,
                    "email": participant.email,
                    "moderator": participant.moderator,
                },
            },
        }

    def token(self, spec: RoomSpec, participant: Participant, now: dt.datetime) -> str:
        return jwt.encode(self.claims(spec, participant, now), self.secret, algorithm="HS256")

    def join_url(self, spec: RoomSpec, participant: Participant, now: dt.datetime) -> str:
        room = quote(spec.room.lower(), safe="")
        if not self.secret:  # an open server without token authentication
            return f"https://{self.domain}/{room}"
        return f"https://{self.domain}/{room}?jwt={self.token(spec, participant, now)}"
