"""Demo data of the dashboard app for the Nghi Lộc demo district: the daily facts of the demo
year, computed once the one-stop history is loaded (seconds for its ~3,000 dossiers)."""

import datetime as dt

from django.utils import timezone

from congso.dashboard import store

DEMO_DAYS = 366


def load(loaded: dict) -> None:
    """Compute the facts of the last year; idempotent, since a refresh replaces what it finds."""
    today = timezone.localdate()
    loaded["dashboard_facts"] = store.refresh(today - dt.timedelta(days=DEMO_DAYS), today)
