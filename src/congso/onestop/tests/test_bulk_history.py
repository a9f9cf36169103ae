"""``bench_data --copies``: closed dossiers copied back in time with their whole history, codes
re-dated and unique, open dossiers never copied (PostgreSQL only)."""

import datetime as dt

import pytest

from congso.demo import history
from congso.onestop.bulk_history import copy_history
from congso.onestop.lifecycle import FINAL_STATES
from congso.onestop.models import Dossier, Event, HandOver, Step

pytestmark = pytest.mark.postgres


def test_closed_history_is_copied_back_by_whole_weeks(demo, require_postgres):
    history.generate(40, days=30, seed=7, documents=True)
    told = list(Dossier.objects.order_by("id"))
    closed = [d for d in told if d.state in FINAL_STATES]
    steps, events = Step.objects.count(), Event.objects.count()
    done = copy_history(2, span_days=30)
    assert done.dossiers == 2 * len(closed)
    assert Dossier.objects.count() == len(told) + 2 * len(closed)
    assert Dossier.objects.values("code").distinct().count() == Dossier.objects.count()
    original = closed[0]
    copy = Dossier.objects.exclude(pk__in=[d.pk for d in told]).order_by("id").first()
    assert copy.filed_at == original.filed_at - dt.timedelta(days=35)  # 30 days → 5 weeks
    assert copy.code.split("-")[0] == original.code.split("-")[0]
    assert copy.state == original.state
    assert copy.steps.count() == original.steps.count()
    assert Step.objects.count() > steps and Event.objects.count() > events
    # every copied hand-over points at a step of its own dossier
    for hand_over in HandOver.objects.filter(dossier=copy, step__isnull=False):
        assert hand_over.step.dossier_id == copy.pk
    assert (
        not Dossier.objects.exclude(state__in=FINAL_STATES)
        .exclude(pk__in=[d.pk for d in told])
        .exists()
    )
