"""What both snapshot scripts (``snapshot_pages``, ``snapshot_reports``) share: a logged-in test
client, one fixed instant, and the page saved with its CSRF tokens and CSP nonces blanked, so that
``diff -r`` of a before and an after folder shows only what a change altered."""

import argparse
import datetime as dt
import os
import re
from pathlib import Path

from bench.bench_http import _django, _session

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


def start(description: str) -> Path:
    """``--now`` and ``--out`` read, Django set up on ``DATABASE_URL``, the instant fixed: the
    folder to save into."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--now", required=True, help="the fixed instant, ISO 8601 with offset")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    _django(os.environ["DATABASE_URL"])
    fix_now(dt.datetime.fromisoformat(args.now))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return out
