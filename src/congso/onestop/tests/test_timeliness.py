"""Timeliness as the inspector counts it (issue 15 item 3): the rules of ``onestop.timeliness``
one by one with their legal basis, and one data set on which the period report, the register
(form 07), the dashboard's facts, the Decision 766 index and the national-portal export all give
every dossier the same class."""

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from congso.onestop import timeliness
from congso.onestop.timeliness import Class, Clock

pytestmark = pytest.mark.slow

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(d, h=9, m=0):
    return dt.datetime(2026, 3, d, h, m, tzinfo=VN)


def clock(
    received=at(2), finished=None, due=at(10), supplements=0, stopped=None, state="processing"
):
    return Clock(1, received, finished, state, due, supplements, stopped)


END = at(31, 23, 59)


# --- Finished: early / on time / late against the statutory due instant (regulations §5) -------


def test_finished_before_the_due_day_is_early_on_it_on_time_after_it_late():
    assert timeliness.classify(clock(finished=at(9)), END) == Class.EARLY
    assert timeliness.classify(clock(finished=at(10, 8)), END) == Class.ON_TIME
    assert timeliness.classify(clock(finished=at(10, 9)), END) == Class.ON_TIME
    assert timeliness.classify(clock(finished=at(10, 9, 1)), END) == Class.LATE


def test_an_apology_never_moves_the_instant_judged_against():
    """Decree 61/2018 art. 19 as amended: the new date is for the citizen, the dossier is late."""
    assert timeliness.judged_due(at(10), at(8), at(20)) == at(10)
    assert timeliness.judged_due(None, at(8), at(20)) == at(8)
    assert timeliness.classify(clock(finished=at(15), due=at(10)), END) == Class.LATE


def test_the_clock_fields_are_what_is_judged(demo):
    """One source of truth (issue 15 items 1–2): the statutory due, the supplement counter, the
    stop and the apology are read from the dossier's clock fields — supplement request rows and
    events are history and change nothing."""
    from congso.catalog.models import Procedure
    from congso.dashboard.tests.conftest import make
    from congso.onestop.models import Event, SupplementRequest

    dossier = make(
        demo["units"]["Xã Nghi Long"],
        Procedure.objects.get(code="1.001193"),
        received=at(2),
        due=at(20),
        finished=at(12),
        state="processed",
    )
    type(dossier).objects.filter(pk=dossier.pk).update(
        original_due_at=at(10), statutory_due_at=at(13), supplement_count=1, apologised_at=at(9)
    )
    SupplementRequest.objects.create(dossier=dossier, items=["x"], reason="r", requested_at=at(3))
    SupplementRequest.objects.create(dossier=dossier, items=["x"], reason="r", requested_at=at(4))
    Event.objects.create(
        dossier=dossier, transition="noise", to_state="processed", actor_name="x", at=at(5)
    )
    dossier.refresh_from_db()
    ((row_clock, _extra),) = timeliness.clocks_of(type(dossier).objects.filter(pk=dossier.pk))
    assert row_clock == timeliness.clock_of(dossier)
    assert (row_clock.due, row_clock.supplements, row_clock.apologised) == (at(13), 1, True)
    assert timeliness.classify(row_clock, END) == Class.EARLY


def test_supplement_waiting_is_not_counted():
    """Portal formula 2.1: end − (returned − requested) ≤ appointment. The supplement clock has
    moved the statutory due on by the time waited (services._resume_clock); a dossier ended
    while the clock stood still ends at the stop."""
    moved = clock(due=at(13, 9), supplements=1)  # three days with the citizen
    assert timeliness.classify(replace(moved, finished_at=at(12)), END) == Class.EARLY
    assert timeliness.classify(replace(moved, finished_at=at(13, 9)), END) == Class.ON_TIME
    assert timeliness.classify(replace(moved, finished_at=at(13, 10)), END) == Class.LATE
    withdrawn = clock(finished=at(25), stopped=at(8), supplements=1, state="withdrawn")
    assert timeliness.classify(withdrawn, END) == Class.EARLY


def test_a_second_supplement_request_is_late_in_every_figure():
    """Decree 118/2025 (complete guidance once) and portal formula 2.1 ("hơn 01 lần: quá hạn")."""
    assert timeliness.classify(clock(finished=at(7), supplements=2), END) == Class.LATE
    assert timeliness.classify(clock(supplements=2), at(8)) == Class.OVERDUE
    waiting = clock(supplements=2, stopped=at(7))
    assert timeliness.classify(waiting, at(8)) == Class.WAITING
    assert timeliness.national_on_time(waiting, at(8)) is False


def test_refused_and_withdrawn_after_receipt_are_ended_and_classed():
    """Portal formula 2.1: refused, stopped and withdrawn end processing (received ones only)."""
    refused = clock(finished=at(5), state="stopped")
    assert timeliness.classify(refused, END) == Class.EARLY
    assert timeliness.ended_as(refused) == "refused"
    withdrawn = clock(finished=at(12), state="withdrawn")
    assert timeliness.classify(withdrawn, END) == Class.LATE
    assert timeliness.ended_as(withdrawn) == "withdrawn"
    never = clock(received=None, finished=at(5), state="not_received")
    assert timeliness.classify(never, END) is None
    assert timeliness.national_on_time(never, END) is None


# --- Open at the cut-off ------------------------------------------------------------------------


def test_open_is_within_time_until_the_due_instant_then_overdue():
    assert timeliness.classify(clock(), at(10, 9)) == Class.WITHIN
    assert timeliness.classify(clock(), at(10, 9, 1)) == Class.OVERDUE


def test_waiting_for_the_citizen_is_its_own_column():
    waiting = clock(supplements=1, stopped=at(9))
    assert timeliness.classify(waiting, at(20)) == Class.WAITING
    assert timeliness.classify(waiting, at(9)) == Class.WITHIN  # not yet stopped then
    # the clock stopped before the due instant: the portal counts it on time
    assert timeliness.national_on_time(waiting, at(20)) is True
    late_request = clock(supplements=1, stopped=at(11))
    assert timeliness.national_on_time(late_request, at(20)) is False


def test_the_cut_off_of_a_running_period_is_now():
    finish = dt.datetime(2026, 4, 1, tzinfo=VN)
    assert timeliness.cutoff_for(finish, now=at(15)) == at(15)
    assert timeliness.cutoff_for(finish, now=dt.datetime(2026, 5, 1, tzinfo=VN)) == finish


def test_finished_after_the_cut_off_is_open_at_it():
    assert timeliness.classify(clock(finished=at(20)), at(15)) == Class.OVERDUE
    assert timeliness.classify(clock(finished=at(20)), at(5)) == Class.WITHIN
    assert timeliness.classify(clock(received=at(16)), at(15)) is None


# --- Every consumer, one data set ----------------------------------------------------------------


@pytest.fixture
def dossiers(demo):
    import random

    from congso.catalog.models import Procedure
    from congso.dashboard.tests.test_facts import _random_dossiers
    from congso.onestop.models import Dossier

    units = [demo["units"]["Xã Nghi Long"], demo["units"]["Xã Nghi Mỹ"]]
    _random_dossiers(random.Random(15), units, [Procedure.objects.get(code="1.001193")], 90)
    return list(Dossier.objects.order_by("pk"))


def test_report_register_facts_index_and_export_agree(dossiers, demo):
    from collections import Counter

    from congso.core.periods import Period
    from congso.dashboard import store
    from congso.dashboard.indicators import PARTS
    from congso.onestop import indicators766, printing, reports, sync

    district = demo["units"]["district"]
    period = Period(dt.date(2025, 12, 20), dt.date(2026, 1, 12))
    cutoff = period.finish
    store.refresh(period.start - dt.timedelta(days=1), period.end)
    clocks = {c.dossier_id: c for c, _x in timeliness.clocks_of(type(dossiers[0]).objects.all())}

    # export: each dossier's class is the module's
    for record in sync.records(sync.for_sync(), now=cutoff):
        pk = next(d.pk for d in dossiers if d.code == record["MaHoSo"])
        kind = timeliness.classify(clocks[pk], cutoff)
        assert record["TienDoXuLy"] == (kind.value if kind else None)

    # report: ended in the period by class, open at its end by class
    def ended_in_period(c):
        return c.received_at and c.finished_at and period.begin <= c.finished_at < cutoff

    classes = Counter(timeliness.classify(c, cutoff) for c in clocks.values())
    ended = Counter(timeliness.finished_class(c) for c in clocks.values() if ended_in_period(c))
    total = reports.period_report(district, period).total
    assert (total["early"], total["on_time"], total["late"]) == (
        ended[Class.EARLY],
        ended[Class.ON_TIME],
        ended[Class.LATE],
    )
    assert (total["open_within"], total["overdue"], total["waiting"]) == (
        classes[Class.WITHIN],
        classes[Class.OVERDUE],
        classes[Class.WAITING],
    )

    # dashboard facts and the index numerator / denominator
    ids = reports.unit_ids(district)
    figures = {"onestop": store.onestop_figures(ids, period.start, period.end)}
    numerator, denominator = indicators766.on_time(ids, period)
    assert PARTS["on_time_rate"](figures) == (len(numerator), len(denominator))
    counted = {pk for pk, c in clocks.items() if pk in denominator}
    assert numerator == {pk for pk in counted if timeliness.national_on_time(clocks[pk], cutoff)}

    # register (form 07): the class label of each dossier received in January
    january = Period(dt.date(2026, 1, 1), dt.date(2026, 1, 12))
    for row in printing.register_rows(district, january):
        pk = next(d.pk for d in dossiers if d.code == row.code)
        kind = timeliness.classify(clocks[pk], january.finish)
        assert (str(kind.label) in row.notes) if kind else True


def test_open_classes_counted_in_sql_equal_the_rules(dossiers, demo):
    """A running period counts its open dossiers with ``timeliness.open_counts`` (SQL); at any
    cut-off the counts are the Python rules' over the same rows."""
    from collections import Counter

    from congso.onestop import facts

    clocks = [c for c, _x in timeliness.clocks_of(type(dossiers[0]).objects.all())]
    ids = sorted({d.receiving_unit_id for d in dossiers})
    days = [(2025, 12, 20), (2025, 12, 28), (2026, 1, 3), (2026, 3, 1)]
    for cutoff in [dt.datetime(*day, 12, tzinfo=VN) for day in days]:
        classes = Counter(timeliness.classify(c, cutoff) for c in clocks)
        late = sum(
            1
            for c in clocks
            if timeliness.classify(c, cutoff) == Class.WAITING
            and not timeliness.national_on_time(c, cutoff)
        )
        counted = facts.open_at(ids, cutoff).get(None, dict.fromkeys(facts.SNAPSHOT_KEYS, 0))
        assert counted == {
            "open_within_time": classes[Class.WITHIN],
            "open_overdue": classes[Class.OVERDUE],
            "open_waiting": classes[Class.WAITING],
            "open_waiting_late": late,
        }
