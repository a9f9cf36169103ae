"""``bench_data --copies``: closed dossiers copied back in time inside PostgreSQL, with their whole
history, by whole weeks, codes re-dated and unique (copies sharing a year take lanes of the
day's numbers), open dossiers never copied, the secondary indexes rebuilt (PostgreSQL only)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F

from congso.demo import history
from congso.onestop.bulk_history import TABLES, copy_history
from congso.onestop.lifecycle import FINAL_STATES
from congso.onestop.models import Dossier, DossierDocument, Event, HandOver, Step

pytestmark = pytest.mark.postgres


def test_closed_history_is_copied_back_by_whole_weeks(demo, require_postgres):
    history.generate(40, days=30, seed=7, documents=True)
    told = list(Dossier.objects.order_by("id"))
    closed = [d for d in told if d.state in FINAL_STATES]
    steps, events = Step.objects.count(), Event.objects.count()
    done = copy_history(4, span_days=30, years=2)  # two copies a period, two periods back
    assert done.dossiers == 4 * len(closed)
    assert Dossier.objects.count() == len(told) + 4 * len(closed)
    assert Dossier.objects.values("code").distinct().count() == Dossier.objects.count()
    original = closed[0]
    copies = Dossier.objects.exclude(pk__in=[d.pk for d in told]).order_by("id")
    first, second, third = copies[0], copies[len(closed)], copies[2 * len(closed)]
    back = dt.timedelta(days=done.week_days)  # 30 days → 5 weeks, or the told codes' days
    assert done.week_days % 7 == 0 and done.week_days >= 35
    assert first.filed_at == second.filed_at == original.filed_at - back
    assert third.filed_at == original.filed_at - 2 * back
    agency, _, number = original.code.rsplit("-", 2)
    # lanes start a step above every number already here (the demo's dossiers of those days)
    assert first.code.startswith(agency)
    assert int(first.code.rsplit("-", 1)[1]) == int(number) + done.lane_step
    assert int(second.code.rsplit("-", 1)[1]) == int(number) + 2 * done.lane_step  # next lane
    assert first.search_text.startswith(first.code.lower())
    assert first.state == original.state and first.timeliness == original.timeliness
    assert first.steps.count() == original.steps.count()
    assert first.documents.count() == original.documents.count()
    # the clock's history comes along, re-dated (a past cut-off is judged from it)
    changes = list(first.clock_changes.values_list("at", flat=True))
    told_changes = original.clock_changes.values_list("at", flat=True)
    assert changes and changes == [at - back for at in told_changes]
    assert Step.objects.count() > steps and Event.objects.count() > events
    assert DossierDocument.objects.filter(dossier__in=copies).exists()
    # every copied hand-over points at a step of its own dossier
    for hand_over in HandOver.objects.filter(dossier=first, step__isnull=False):
        assert hand_over.step.dossier_id == first.pk
    assert not copies.exclude(state__in=FINAL_STATES).exists()
    with connection.cursor() as cursor:  # the secondary indexes are back after the load
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'onestop_dossier_newest'")
        assert cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_copies_on_connections_of_its_own_then_refuses_to_copy_an_archive(demo, require_postgres):
    """Outside a transaction the statements run on two connections of their own (they see only
    committed rows); a database already holding copies is refused, not copied again."""
    history.generate(30, days=14, seed=5, documents=True)
    told = {model: model.objects.count() for model in TABLES}
    closed = {
        model: model.objects.filter(
            **(
                {"state__in": FINAL_STATES}
                if model is Dossier
                else {"dossier__state__in": FINAL_STATES}
            )
        ).count()
        for model in TABLES
    }
    done = copy_history(6, span_days=14, years=3, workers=2)
    assert done.workers == 2 and done.dossiers == 6 * closed[Dossier]
    for model in TABLES:
        assert model.objects.count() == told[model] + 6 * closed[model], model.__name__
    assert Dossier.objects.values("code").distinct().count() == Dossier.objects.count()
    assert not HandOver.objects.exclude(step=None).exclude(step__dossier=F("dossier")).exists()
    with connection.cursor() as cursor:  # the dropped constraints are back, attached
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conname = ANY(%s)",
            [["onestop_dossier_code_key", "onestop_event_pkey", "onestop_access_once"]],
        )
        assert cursor.fetchone()[0] == 3
    with pytest.raises(ValueError, match="already holds history"):
        copy_history(1, span_days=14)
