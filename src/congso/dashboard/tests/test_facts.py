"""The daily facts equal a direct computation on the raw dossiers: per (day, unit, procedure)
against a plain Python count over the rows, and per period against one SQL aggregate over the
dossiers — on random data from a seeded generator and from hypothesis (runs on SQLite and on
PostgreSQL). Issue 15 item 8: facts == raw aggregation, every class from ``timeliness``."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.db.models import Max
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congso.catalog.models import OnlineMode, Procedure
from congso.dashboard import store
from congso.dashboard.models import DailyFact
from congso.onestop import facts
from congso.onestop.models import Dossier

from .conftest import VN, make

pytestmark = pytest.mark.slow

START, END = dt.date(2025, 12, 20), dt.date(2026, 1, 12)  # crosses a year


def _random_dossiers(rng: random.Random, units, procedures, count: int) -> None:
    base = dt.datetime(2025, 12, 15, tzinfo=VN)
    for _ in range(count):
        received = base + dt.timedelta(minutes=rng.randrange(0, 30 * 24 * 60))
        due = received + dt.timedelta(hours=rng.randrange(2, 10 * 24))
        finished, state, returned = None, "processing", None
        roll = rng.random()
        if roll < 0.55:
            finished = received + dt.timedelta(hours=rng.randrange(1, 12 * 24))
            state = "processed"
            if rng.random() < 0.5:
                returned, state = finished + dt.timedelta(hours=rng.randrange(1, 72)), "returned"
        elif roll < 0.62:
            finished, state = received + dt.timedelta(hours=rng.randrange(1, 200)), "withdrawn"
        elif roll < 0.67:
            finished, state = received + dt.timedelta(hours=rng.randrange(1, 200)), "stopped"
        dossier = make(
            rng.choice(units),
            rng.choice(procedures),
            channel=rng.choice(["desk", "online", "online", "post"]),
            received=received,
            due=due if rng.random() > 0.05 else None,
            finished=finished,
            state=state,
            fee=rng.choice([0, 0, 50000]),
            documents=[(rng.random() < 0.5, rng.random() < 0.2) for _ in range(rng.randrange(3))],
        )
        if returned:
            Dossier.objects.filter(pk=dossier.pk).update(returned_at=returned)
        if state in ("processed", "returned") and rng.random() < 0.6:
            from congso.onestop.models import Result

            Result.objects.create(
                dossier=dossier, title="KQ", file="results/kq.pdf", sha256="0" * 64
            )
        _random_clock(rng, dossier, received, finished)
        _random_sync(rng, dossier)


def _random_sync(rng, dossier) -> None:
    """Revisions sent to the national portal: none, accepted, refused, or refused then
    accepted (criterion 1.4 counts a dossier with an accepted one)."""
    from congso.onestop.models import PortalSyncMessage

    answers = rng.choice([[], [], ["sent"], ["refused"], ["refused", "sent"], ["pending"]])
    for revision, state in enumerate(answers, start=1):
        PortalSyncMessage.objects.create(
            dossier=dossier,
            dossier_code=dossier.code,
            revision=revision,
            record={},
            state=state,
            collected_until=dossier.filed_at,
        )


def _random_clock(rng, dossier, received, finished) -> None:
    """Supplement requests (answered or not, sometimes two) and apologies, with the clock
    fields the services keep beside them — the counter, the stop of an unanswered request, the
    statutory due moved on by the time waited, the apology's instant — and the clock's history
    (``ClockChange``: at receipt, each request, each answer), as ``services.record_clock``
    writes it. Requests and answers fall before, in and after the periods the tests judge."""
    from congso.onestop.models import ClockChange, SupplementRequest

    due = dossier.due_at
    at_, count, stopped, waited = received, 0, None, dt.timedelta()

    def change(at, stopped_at):
        moved = due + waited if due is not None else None
        ClockChange.objects.create(
            dossier=dossier,
            at=at,
            statutory_due_at=moved,
            due_at=moved,
            stopped_at=stopped_at,
            supplement_count=count,
        )

    change(received, None)
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        at_ = at_ + dt.timedelta(hours=rng.randrange(1, 96))
        answered = at_ + dt.timedelta(hours=rng.randrange(1, 120))
        if finished is not None and answered > finished:
            break
        if finished is None and rng.random() < 0.4:
            answered = None
        SupplementRequest.objects.create(
            dossier=dossier, items=["x"], reason="r", requested_at=at_, answered_at=answered
        )
        count += 1
        change(at_, at_)
        if answered is None:
            stopped = at_
            break
        waited += answered - at_
        change(answered, None)
        at_ = answered
    clock = {"supplement_count": count, "clock_stopped_at": stopped}
    if dossier.due_at is not None:
        clock["original_due_at"] = dossier.due_at
        clock["statutory_due_at"] = dossier.due_at + waited
    if stopped is not None:
        clock["state"] = "supplement_requested"
    if rng.random() < 0.1:
        clock["apologised_at"] = received + dt.timedelta(hours=rng.randrange(1, 100))
    Dossier.objects.filter(pk=dossier.pk).update(**clock)


def _clock_then(clock, requests: list, cutoff: dt.datetime):
    """The clock at ``cutoff`` in words, from the supplement requests (not from the clock's
    history): the requests made before it, stopped at the last one if it was not answered
    before it, the original due moved on by the waits answered before it."""
    from congso.onestop.timeliness import Clock

    made = [r for r in requests if r.requested_at < cutoff]
    answered = [r for r in made if r.answered_at is not None and r.answered_at < cutoff]
    waited = sum((r.answered_at - r.requested_at for r in answered), dt.timedelta())
    stopped = made[-1].requested_at if made and made[-1] not in answered else None
    fields = vars(clock) | {"history": (), "supplements": len(made), "stopped_at": stopped}
    if clock.due is not None:
        every = [r.answered_at - r.requested_at for r in requests if r.answered_at]
        fields["due"] = clock.due - sum(every, dt.timedelta()) + waited
    return Clock(**fields)


def _naive(start: dt.date, end: dt.date) -> dict:
    """Per (day, unit, procedure), straight from the rows in Python (the definition in words),
    every class from ``onestop.timeliness`` — an open dossier judged by its clock as the
    supplement requests say it stood at the day's end."""
    from congso.onestop import timeliness
    from congso.onestop.models import SupplementRequest

    result = defaultdict(lambda: dict.fromkeys(facts.KEYS, 0))
    local = lambda t: t.astimezone(VN).date()  # noqa: E731
    dossiers = list(
        Dossier.objects.select_related("procedure", "receiving_unit", "result").prefetch_related(
            "documents"
        )
    )
    clocks = {d.pk: timeliness.clock_of(d) for d in dossiers}
    requests, made = defaultdict(list), defaultdict(list)
    for request in SupplementRequest.objects.order_by("requested_at", "pk"):
        requests[request.dossier_id].append(local(request.requested_at))
        made[request.dossier_id].append(request)
    day = start
    while day <= end:
        day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=VN)
        for d in dossiers:
            key = (day, d.receiving_unit_id, d.procedure_id)
            clock = clocks[d.pk]
            if d.received_at and local(d.received_at) == day:
                bucket = result[key]
                bucket["received"] += 1
                bucket["received_online"] += d.channel == "online"
                bucket["received_desk"] += d.channel == "desk"
                bucket["received_post"] += d.channel == "post"
                bucket["received_fully_online"] += (
                    d.channel == "online" and d.procedure.online_mode == OnlineMode.FULLY_ONLINE
                )
                bucket["fee_dossiers"] += d.fee_amount > 0
                docs = list(d.documents.all())
                for doc in docs:
                    bucket["documents"] += 1
                    bucket["documents_digitised"] += doc.digitised
                    bucket["documents_reused"] += doc.reused
                has_result = hasattr(d, "result")
                bucket["results_electronic"] += has_result
                bucket["dossiers_digitised"] += bool(
                    has_result and docs and all(doc.digitised for doc in docs)
                )
                bucket["dossiers_reused"] += any(doc.reused for doc in docs)
                bucket["received_acknowledged"] += d.portal_sync.filter(state="sent").exists()
            if d.received_at and d.finished_at and local(d.finished_at) == day:
                kind = timeliness.finished_class(clock)
                result[key]["finished"] += 1
                result[key][f"finished_{kind}"] += 1
                result[key]["finished_refused"] += d.state == "stopped"
                result[key]["finished_withdrawn"] += d.state == "withdrawn"
            if d.returned_at and local(d.returned_at) == day:
                result[key]["returned"] += 1
            result[key]["supplements"] += requests[d.pk].count(day)
            result[key]["apologised"] += bool(d.apologised_at and local(d.apologised_at) == day)
            then = _clock_then(clock, made[d.pk], day_end)
            kind = timeliness.classify(then, day_end)
            if kind in timeliness.OPEN:
                name = {"within": "open_within_time", "overdue": "open_overdue"}
                result[key][name.get(kind, "open_waiting")] += 1
                if kind == "waiting" and not timeliness.national_on_time(then, day_end):
                    result[key]["open_waiting_late"] += 1
        day += dt.timedelta(days=1)
    return {k: v for k, v in result.items() if any(v.values())}


@pytest.fixture
def random_data(demo, long, my, district, fully_online_procedure):
    rng = random.Random(20260115)
    procedures = [Procedure.objects.get(code="1.001193"), fully_online_procedure]
    _random_dossiers(rng, [long, my, district], procedures, 160)
    return {"units": [long, my, district]}


def _stored() -> dict:
    return {
        (f.day, f.unit_id, f.procedure_id): {k: getattr(f, k) for k in facts.KEYS}
        for f in DailyFact.objects.filter(day__gte=START, day__lte=END)
    }


def test_facts_equal_the_rows_day_by_day(random_data):
    store.refresh(START, END)
    assert _stored() == _naive(START, END)


def test_period_figures_equal_one_aggregate_over_dossiers(random_data, demo):
    store.refresh(START, END)
    rng = random.Random(7)
    every = [u.pk for u in random_data["units"]]
    for _ in range(6):
        first = START + dt.timedelta(days=rng.randrange(0, 20))
        last = min(END, first + dt.timedelta(days=rng.randrange(0, 20)))
        ids = rng.choice([every, every[:1], every[1:]])
        assert store.onestop_figures(ids, first, last) == facts.raw_totals(ids, first, last)


def _report_equals_raw(district, ids, first: dt.date, last: dt.date) -> None:
    """The period report (regulations §5) from the facts equals the raw aggregation, column by
    column, and its "carried over" is the raw count of dossiers open at the period's start."""
    from congso.core.periods import Period
    from congso.onestop import reports

    total = reports.period_report(district, Period(first, last)).total.figures
    raw = facts.raw_totals(ids, first, last)
    assert {c: total[c] for c in reports.FROM_FACTS} == {
        c: raw[k] for c, k in reports.FROM_FACTS.items()
    }
    before = facts.raw_totals(ids, first - dt.timedelta(days=1), first - dt.timedelta(days=1))
    assert total["carried"] == sum(before[k] for k in facts.OPEN_KEY.values())


def test_facts_and_raw_agree_on_hypothesis_data(demo, long, my, district, fully_online_procedure):
    """Hypothesis draws the dossiers (the generator's every choice — channel, fee, documents,
    refused / stopped / withdrawn, supplement requests answered or waiting, a second request,
    apology — comes from its shrinkable random source): the facts equal the rows day by day,
    every period's figures equal one aggregate over the dossiers, and the period report (with
    the dossiers carried over) equals the raw aggregation."""
    from congso.onestop import reports

    baseline = Dossier.objects.aggregate(top=Max("pk"))["top"] or 0
    procedures = [Procedure.objects.get(code="1.001193"), fully_online_procedure]
    ids = reports.unit_ids(district)
    periods = [(START, END), (START + dt.timedelta(days=6), END - dt.timedelta(days=4))]

    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(rng=st.randoms(use_true_random=False), count=st.integers(1, 40))
    def check(rng, count):
        Dossier.objects.filter(pk__gt=baseline).delete()
        _random_dossiers(rng, [long, my, district], procedures, count)
        store.refresh(START - dt.timedelta(days=1), END)
        assert _stored() == _naive(START, END)
        for first, last in periods:
            assert store.onestop_figures(ids, first, last) == facts.raw_totals(ids, first, last)
            _report_equals_raw(district, ids, first, last)

    check()


def test_refresh_of_a_subperiod_and_unit_replaces_only_that(random_data, long):
    store.refresh(START, END)
    before = _stored()
    DailyFact.objects.filter(unit=long, day=START).update(received=999)
    store.refresh(START, START, [long.pk])
    assert _stored() == before


def test_a_dossier_change_marks_its_days_stale_and_the_job_redoes_them(random_data, long):
    from congso.dashboard.models import StaleDay
    from congso.onestop.signals import dossier_changed

    store.refresh(START, END)
    before = _stored()
    dossier = make(long, received=dt.datetime(2026, 1, 5, 10, tzinfo=VN), due=None)
    dossier_changed.send(sender=Dossier, dossier=dossier, transition="receive", to_state="received")
    stale = set(StaleDay.objects.filter(unit=long).values_list("day", flat=True))
    assert stale == {dt.date(2026, 1, 5), timezone.localdate()}  # receipt day and today only
    DailyFact.objects.filter(unit=long, day=dt.date(2026, 1, 5)).update(open_overdue=999)
    store.refresh_stale()
    assert not StaleDay.objects.exists()
    naive = _naive(START, END)
    flows = lambda table: {k: {n: v[n] for n in facts.FLOW_KEYS} for k, v in table.items()}  # noqa: E731
    assert flows(_stored()) == flows(naive)
    # the stale day is redone whole, its end-of-day snapshot too (a snapshot stored wrong is
    # not kept: each is judged by the clock as it stood at its day's end)
    day = lambda table: {k: v for k, v in table.items() if k[:2] == (dt.date(2026, 1, 5), long.pk)}  # noqa: E731
    assert day(_stored()) == day(naive) != day(before)


def test_a_past_snapshot_keeps_a_wait_that_has_since_ended(long, demo):
    """Portal formula 2.1 judges a dossier open at a period's end by its state then: waiting
    for the citizen on 10/1 (its own column, on time as its request was in time) stays so in
    the facts of 10/1 and in the report of that period after the citizen answers on 20/1 and
    the clock resumes (Decree 118/2025: the waiting time is not counted) — from the clock's
    history (``timeliness.as_at``): the stale refresh, the raw aggregation and the report
    agree."""
    from congso.core.periods import Period
    from congso.dashboard.models import UnitDayFact
    from congso.onestop import reports
    from congso.onestop.models import ClockChange, SupplementRequest
    from congso.onestop.signals import dossier_changed

    received, asked = dt.datetime(2026, 1, 5, 9, tzinfo=VN), dt.datetime(2026, 1, 8, 9, tzinfo=VN)
    due = dt.datetime(2026, 1, 15, 17, tzinfo=VN)
    dossier = make(long, received=received, due=due)
    request = SupplementRequest.objects.create(
        dossier=dossier, items=["x"], reason="r", requested_at=asked
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        supplement_count=1,
        clock_stopped_at=asked,
        statutory_due_at=due,
        original_due_at=due,
        state="supplement_requested",
    )
    for at, stopped, count in ((received, None, 0), (asked, asked, 1)):
        ClockChange.objects.create(
            dossier=dossier, at=at, statutory_due_at=due, stopped_at=stopped, supplement_count=count
        )
    store.refresh(START, END)
    day = dt.date(2026, 1, 10)
    waiting = UnitDayFact.objects.get(unit=long, day=day)
    assert (waiting.open_waiting, waiting.open_within_time, waiting.open_overdue) == (1, 0, 0)
    answered = dt.datetime(2026, 1, 20, 9, tzinfo=VN)
    SupplementRequest.objects.filter(pk=request.pk).update(answered_at=answered)
    moved = due + (answered - asked)
    Dossier.objects.filter(pk=dossier.pk).update(
        clock_stopped_at=None, statutory_due_at=moved, state="processing"
    )
    ClockChange.objects.create(
        dossier=dossier, at=answered, statutory_due_at=moved, stopped_at=None, supplement_count=1
    )
    dossier_changed.send(
        sender=Dossier,
        dossier=Dossier.objects.get(pk=dossier.pk),
        transition="supplement",
        to_state="processing",
    )
    ids = [long.pk]
    store.refresh_stale()  # redoes the marked days
    store.refresh(day, day, ids)  # and 10/1 itself: the same snapshot
    report = reports.period_report(long, Period(dt.date(2026, 1, 1), day))
    kept = UnitDayFact.objects.get(unit=long, day=day)
    assert (kept.open_waiting, kept.open_within_time, kept.open_overdue) == (1, 0, 0)
    assert (report.total.figures["waiting"], report.total.figures["open_within"]) == (1, 0)
    assert facts.raw_totals(ids, day, day)["open_waiting"] == 1
    # a day after the answer: within time against the moved due instant
    later = dt.date(2026, 1, 21)
    assert facts.raw_totals(ids, later, later)["open_within_time"] == 1


def test_demo_loader_computes_the_demo_year(demo, district):
    from congso.demo import dashboard as dashboard_demo
    from congso.demo import history

    history.generate(120, days=300, seed=3, documents=True)
    loaded = {}
    dashboard_demo.load(loaded)
    assert loaded["dashboard_facts"] > 0
    today = timezone.localdate()
    first = today - dt.timedelta(days=dashboard_demo.DEMO_DAYS)
    ids = list(type(district).objects.subtree(district).values_list("pk", flat=True))
    assert store.onestop_figures(ids, first, today) == facts.raw_totals(ids, first, today)
