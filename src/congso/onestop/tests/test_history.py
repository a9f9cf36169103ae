"""The history generator writes dossiers the services would have written: codes continuing the
day's counter, due dates and timeliness from the real rules, states matching their events."""

import datetime as dt
import re
from collections import Counter as Tally
from collections import defaultdict

import pytest
from django.db.models import Max

from congso.core.models import AuditRecord, Counter
from congso.demo import history
from congso.demo import onestop as onestop_demo
from congso.onestop import services
from congso.onestop.lifecycle import FINAL_STATES, State
from congso.onestop.models import Dossier, Event, HandOver, Step, StepState, SupplementRequest
from congso.onestop.rules import classify_finished, code_counter_key
from congso.org.models import COMMUNE_LEVEL_KINDS
from congso.worktime import deadlines
from congso.worktime.services import calendar_for

from .conftest import VN

pytestmark = pytest.mark.slow

END = dt.datetime(2026, 3, 13, 16, 0, tzinfo=VN)  # a Friday afternoon
START = END - dt.timedelta(days=90)
CODE = re.compile(r"^(?P<agency>[\d.]+[A-Z]\d+)-(?P<day>\d{6})-(?P<seq>\d{4})$")


@pytest.fixture
def generated(demo):
    summary = history.generate(600, start=START, end=END, seed=7)
    return summary


def test_writes_exactly_the_number_asked(generated):
    assert generated.dossiers == 600
    assert Dossier.objects.count() == 600
    assert generated.rows > 600 * 5
    assert sum(generated.states.values()) == 600


def test_codes_follow_the_rule_and_each_day_counts_from_one(generated):
    sequences = defaultdict(list)
    for dossier in Dossier.objects.select_related("receiving_unit"):
        match = CODE.match(dossier.code)
        assert match, dossier.code
        filed = dossier.filed_at.astimezone(VN).date()
        assert match["day"] == f"{filed:%y%m%d}"
        assert match["agency"] == dossier.receiving_unit.agency_id
        sequences[(match["agency"], filed)].append((dossier.filed_at, int(match["seq"])))
    for (agency, day), numbered in sequences.items():
        numbered.sort()
        assert [seq for _at, seq in numbered] == list(range(1, len(numbered) + 1))
        counter = Counter.objects.get(key=code_counter_key(agency, day))
        assert counter.value == len(numbered)


def test_the_desk_continues_the_sequence_after_the_history(generated, demo, intake_for):
    from congso.catalog.models import Procedure

    commune = demo["units"]["Xã Nghi Long"]
    today = END.astimezone(VN).date()
    key = code_counter_key(commune.agency_id, today)
    before = Counter.objects.filter(key=key).values_list("value", flat=True).first() or 0
    procedure = Procedure.objects.get(code="1.004873")
    dossier = services.receive_at_desk(
        demo["people"]["motcua.nghilong"],
        intake_for(procedure, commune),
        now=END + dt.timedelta(minutes=30),
    )
    assert dossier.code.endswith(f"-{today:%y%m%d}-{before + 1:04d}")


def test_new_rows_get_fresh_primary_keys(generated):
    top = Dossier.objects.aggregate(top=Max("pk"))["top"]
    dossier = Dossier.objects.first()
    event = Event.objects.create(dossier=dossier, transition="x", to_state="new", at=END)
    assert event.pk
    step = Step.objects.create(
        dossier=dossier, position=99, name="x", actor="specialist", unit=dossier.current_unit,
        amount=1, time_unit="working_days",
    )  # fmt: skip
    assert step.pk > Step.objects.exclude(pk=step.pk).aggregate(top=Max("pk"))["top"]
    assert top == Dossier.objects.aggregate(top=Max("pk"))["top"]


def test_due_dates_and_timeliness_come_from_the_real_rules(generated):
    checked = 0
    plain = Dossier.objects.filter(received_at__isnull=False, rescheduled=False).exclude(
        pk__in=SupplementRequest.objects.values("dossier_id")
    )
    for dossier in plain.select_related("receiving_unit", "version"):
        terms = dossier.version.channel(dossier.channel)
        expected = deadlines.due_at(
            calendar_for(dossier.receiving_unit),
            dossier.received_at,
            terms.time_amount,
            terms.time_unit,
        )
        assert dossier.due_at == expected, dossier.code
        checked += 1
    assert checked > 300
    for dossier in Dossier.objects.filter(received_at__isnull=False):
        assert dossier.original_due_at is not None, dossier.code  # kept from receipt
    for dossier in Dossier.objects.exclude(timeliness=""):
        # judged against the statutory due instant: an apology's new date does not count
        # — late once past the due instant (onestop.timeliness, the figures' class), and
        # whatever the date after a second supplement request (Decree 118/2025)
        expected = classify_finished(dossier.finished_at, dossier.statutory_due_at)
        if dossier.supplement_count >= 2 or dossier.finished_at > dossier.statutory_due_at:
            expected = "late"
        assert dossier.timeliness == expected
    for step in Step.objects.filter(state=StepState.DONE, due_at__isnull=False):
        assert step.timeliness == classify_finished(step.finished_at, step.due_at)


def test_each_dossier_ends_in_the_state_of_its_last_event(generated):
    last = {}
    for event in Event.objects.order_by("at", "id"):
        last[event.dossier_id] = event.to_state
    for dossier in Dossier.objects.all():
        assert last[dossier.pk] == dossier.state, dossier.code
        if dossier.state == State.RETURNED:
            assert dossier.finished_at <= dossier.returned_at <= END
            assert dossier.timeliness
        if dossier.state in FINAL_STATES:
            assert dossier.finished_at is not None
        else:
            assert dossier.finished_at is None or dossier.state == State.PROCESSED
        if dossier.state == State.NEW:
            assert dossier.received_at is None
        if dossier.state == State.SUPPLEMENT_REQUESTED:
            assert dossier.clock_stopped_at is not None and dossier.remaining_seconds is not None


def test_nothing_happens_after_the_end_of_the_period(generated):
    assert not Dossier.objects.filter(filed_at__gt=END).exists()
    assert not Dossier.objects.filter(filed_at__lt=START - dt.timedelta(days=1)).exists()
    assert not Event.objects.filter(at__gt=END).exists()
    assert not HandOver.objects.filter(at__gt=END).exists()


def test_a_year_has_every_kind_of_story(generated):
    states = Tally(Dossier.objects.values_list("state", flat=True))
    assert states[State.RETURNED] > 400
    assert states[State.PROCESSING] + states[State.SUPPLEMENT_REQUESTED] > 0
    timeliness = Tally(Dossier.objects.values_list("timeliness", flat=True))
    assert timeliness["early"] and timeliness["on_time"] and timeliness["late"]
    channels = set(Dossier.objects.values_list("channel", flat=True))
    assert {"desk", "online"} <= channels
    transitions = set(Event.objects.values_list("transition", flat=True))
    assert {"receive", "file", "accept", "start", "forward", "approve", "return_result"} <= (
        transitions
    )
    assert {"request_supplement", "supplement"} <= transitions
    assert SupplementRequest.objects.exists()
    assert Dossier.objects.filter(receiving_unit__symbol="BPMC").exists()


def test_social_allowance_travels_through_the_district(generated, demo):
    allowance = Dossier.objects.filter(procedure__code="1.001776", state=State.RETURNED)
    assert allowance.exists()
    dossier = allowance.first()
    units = list(dossier.steps.order_by("position").values_list("unit__symbol", flat=True))
    assert "LĐTBXH" in units
    hand_overs = dossier.hand_overs.values_list("to_unit_id", flat=True)
    assert demo["units"]["LĐTBXH"].pk in hand_overs
    assert dossier.receiving_unit.kind in COMMUNE_LEVEL_KINDS  # a commune or a township


def test_the_same_seed_tells_the_same_stories(demo):
    def tell():
        history.generate(120, start=START, end=END, seed=11)
        rows = list(
            Dossier.objects.order_by("code").values_list(
                "code", "procedure__code", "state", "filed_at", "timeliness", "channel"
            )
        )
        Dossier.objects.all().delete()
        Counter.objects.filter(key__startswith="dossier:").delete()
        return rows

    first = tell()
    assert first == tell()
    history.generate(120, start=START, end=END, seed=12)
    other = list(Dossier.objects.order_by("code").values_list("code", "procedure__code"))
    assert other != [(r[0], r[1]) for r in first]


def test_generation_is_audited_once(generated):
    record = AuditRecord.objects.get(action="onestop.generate_history")
    assert record.data["dossiers"] == 600


def test_a_second_run_continues_codes_without_duplicates(generated):
    history.generate(200, start=START, end=END, seed=8)
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == 800 == len(set(codes))


def test_refuses_an_empty_or_reversed_period(demo):
    with pytest.raises(ValueError):
        history.generate(10, start=END, end=START)


def test_allocate_splits_exactly_and_proportionally():
    assert history.allocate(10, [1, 1, 2]) == [3, 2, 5]
    assert sum(history.allocate(1001, [0.3, 7, 1.1, 0])) == 1001
    assert history.allocate(5, [0, 0]) == [0, 0]
    assert history.allocate(0, [1, 2]) == [0, 0]


def test_demo_history_is_loaded_once(demo):
    onestop_demo.load(demo)
    assert Dossier.objects.count() == onestop_demo.DEMO_DOSSIERS
    citizens = Dossier.objects.filter(applicant__username__in=onestop_demo.DEMO_CITIZENS)
    assert citizens.exists()
    onestop_demo.load(demo)
    assert Dossier.objects.count() == onestop_demo.DEMO_DOSSIERS
