"""What both snapshot scripts (``snapshot_pages``, ``snapshot_reports``) share: a logged-in test
client, one fixed instant, and the page saved with its CSRF tokens and CSP nonces blanked, so that
``diff -r`` of a before and an after folder shows only what a change altered."""

import datetime as dt
import re
from pathlib import Path

from bench.bench_http import _session

SECRETS = [
    (
        re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'),
        b'name="csrfmiddlewaretoken" value=""',
    ),
    (re.compile(rb'nonce="[^"]*"'), b'nonce=""'),
    (re.compile(rb'"X-CSRFToken": ?"[^"]*"'), b'"X-CSRFToken": ""'),
    (re.compile(rb'name="csrf-token" content="[^"]*"'), b'name="csrf-token" content=""'),
]


def client_for(user):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    name, value = _session(user).split("=", 1)
    client.cookies[name] = value
    return client


def fix_now(now: dt.datetime) -> None:
    """``timezone.now`` answers ``now``: deadlines, urgency and "open now" read alike in both runs."""
    from django.utils import timezone

    timezone.now = lambda: now


def save(out: Path, name: str, body: bytes) -> None:
    for pattern, blank in SECRETS:
        body = pattern.sub(blank, body)
    (out / name).write_bytes(body)
