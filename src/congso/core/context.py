"""Who is acting and from where, for the request (or job) being served.

The middleware fills it for web requests; background jobs and commands set it with ``acting_as``.
Services read it when they write the audit log, so no view has to pass the IP around.
"""

import contextlib
import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    username: str = "system"
    ip: str | None = None


_current: contextvars.ContextVar[Actor] = contextvars.ContextVar(
    "congso_actor",
    default=Actor(),  # noqa: B039 - Actor is a frozen dataclass
)


def current_actor() -> Actor:
    return _current.get()


@contextlib.contextmanager
def acting_as(actor: Actor):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def actor_for(user, ip: str | None = None) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(ip=ip, username="anonymous")
    return Actor(user_id=user.pk, username=user.get_username(), ip=ip)
