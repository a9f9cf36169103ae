"""Who is acting and from where, for the request (or job) being served.

The middleware fills it for web requests; background jobs and commands set it with ``acting_as``.
Services read it when they write the audit log, so no view has to pass the IP around.

For a request the user is read when the record is written, not when the request arrives: an API
token is only checked by the API view, after the middleware has run, and its writes must name the
token's user rather than "anonymous".
"""

import contextlib
import contextvars
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditActor:
    """Who the audit log names for a change: a user, a job (``system:<task>``) or a command.

    Distinct from ``onestop.lifecycle.Actor``, the role someone plays on a dossier.
    """

    user_id: int | None = None
    username: str = "system"
    ip: str | None = None


_current: contextvars.ContextVar[AuditActor | Callable[[], AuditActor]] = contextvars.ContextVar(
    "congso_actor",
    default=AuditActor(),  # noqa: B039 - AuditActor is a frozen dataclass
)


def current_actor() -> AuditActor:
    actor = _current.get()
    return actor() if callable(actor) else actor


@contextlib.contextmanager
def acting_as(actor: AuditActor | Callable[[], AuditActor]):
    """Act as ``actor``, or as whatever the callable returns each time someone asks."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def actor_for(user, ip: str | None = None) -> AuditActor:
    if user is None or not getattr(user, "is_authenticated", False):
        return AuditActor(ip=ip, username="anonymous")
    return AuditActor(user_id=user.pk, username=user.get_username(), ip=ip)
