"""Demo history: a year of the district's one-stop work, so queues and reports look alive.

About 3,000 dossiers filed over the last 365 days at the district's desk and every commune,
ending now — mostly returned early or on time, some late, some still open (within time or
overdue), some waiting for a supplement, refused or withdrawn, some inter-connected through the
district's departments. Idempotent: nothing is added when dossiers filed before today exist.
"""

import datetime as dt

from django.utils import timezone

from congso.org.models import COMMUNE_LEVEL_KINDS, UnitKind

from . import history
from .models import Dossier

DEMO_DOSSIERS = 3000
DEMO_SEED = 2026
DEMO_CITIZENS = ("congdan.an", "congdan.binh")


def has_history() -> bool:
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Dossier.objects.filter(filed_at__lt=today).exists()


def load(loaded: dict) -> None:
    if has_history():
        return
    kinds = {UnitKind.DISTRICT, *COMMUNE_LEVEL_KINDS}
    localities = [u for u in loaded.get("units", {}).values() if u.kind in kinds] or None
    people = loaded.get("people", {})
    end = timezone.now()
    loaded["onestop_history"] = history.generate(
        DEMO_DOSSIERS,
        start=end - dt.timedelta(days=365),
        end=end,
        localities=localities,
        seed=DEMO_SEED,
        documents=True,
        applicants=[people[name] for name in DEMO_CITIZENS if name in people],
    )
