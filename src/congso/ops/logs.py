"""Structured logs with a request id that follows the work into background jobs.

The id comes from the reverse proxy's ``X-Request-ID`` (nginx ``$request_id``) when it looks like
one, else is made here; it is returned in the response, written on every log line of the request
and sent with every Celery task the request queues, so one grep finds a citizen's click, the mail
it sent and the PDF it signed, on whichever node each ran. Loaded by ``LOGGING`` before the apps:
no model import here.
"""

import contextlib
import contextvars
import itertools
import json
import logging
import os
import re
import secrets
from datetime import UTC, datetime

from celery import signals

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("congso_request_id", default="-")
HEADER = "congso_request_id"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id(offered: str | None = None) -> str:
    """The proxy's id if it is a plausible one, else a fresh one (never the client's garbage)."""
    if offered and _VALID.match(offered):
        return offered
    return f"{_PROCESS}{next(_SERIAL):016x}"


#: A fresh id is this process's random half and the count of ids it made: unique without asking
#: the kernel for 16 random bytes at every request (an id is shown to the client, not a secret).
_PROCESS = secrets.token_hex(8)
_SERIAL = itertools.count(1)


def _new_process() -> None:
    global _PROCESS
    _PROCESS = secrets.token_hex(8)


os.register_at_fork(after_in_child=_new_process)  # a forked worker is another process


@contextlib.contextmanager
def request_id(value: str):
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id (and the error)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
            "process": record.process,
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


@signals.before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    """A task queued while serving a request carries the request's id."""
    if headers is not None and _request_id.get() != "-":
        headers.setdefault(HEADER, _request_id.get())


_task_tokens: dict[str, contextvars.Token] = {}


@signals.task_prerun.connect
def _adopt_request_id(task_id=None, task=None, **kwargs):
    offered = getattr(task.request, HEADER, None) if task is not None else None
    _task_tokens[task_id] = _request_id.set(offered or f"task-{task_id}")


@signals.task_postrun.connect
def _drop_request_id(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _request_id.reset(token)


def start_error_reporting() -> None:
    """Send unhandled errors to Sentry (or a compatible server) when ``CONGSO_SENTRY_DSN`` is
    set; ``congso.E023`` refuses the setting without the SDK installed."""
    from django.conf import settings

    if not settings.CONGSO_SENTRY_DSN:
        return
    try:
        import sentry_sdk
    except ImportError:
        return
    sentry_sdk.init(
        dsn=settings.CONGSO_SENTRY_DSN,
        environment=settings.ENVIRONMENT or "development",
        send_default_pii=False,  # citizens' data stays here
    )
