"""Every lifecycle table, every cell: the one engine and the tables each app declares on it.

For each registered machine and each (state, action): a cell in the table lands in its declared
target, any other cell is refused. No state is unreachable from the initial one, the final states
are exactly those with no way out, and every target and national code names a real state.
"""

import itertools

import pytest
from django.core.exceptions import ValidationError

from congso.core.lifecycle import MACHINES, TransitionRefused, stated_reason
from congso.documents import lifecycle as documents  # noqa: F401  (registers its machines)
from congso.feedback import lifecycle as feedback  # noqa: F401
from congso.meetings import lifecycle as meetings  # noqa: F401
from congso.onestop import lifecycle as onestop  # noqa: F401
from congso.payments import lifecycle as payments  # noqa: F401

NAMES = sorted(MACHINES)
CELLS = [
    (name, state, action)
    for name in NAMES
    for state, action in itertools.product(MACHINES[name].states.values, MACHINES[name].labels)
]


def test_every_app_registers_its_machines():
    assert NAMES == [
        "documents.incoming",
        "documents.outgoing",
        "feedback.complaint",
        "meetings.meeting",
        "meetings.task",
        "onestop.dossier",
        "payments.payment",
    ]


@pytest.mark.parametrize(("name", "state", "action"), CELLS)
def test_every_cell_lands_in_its_target_or_is_refused(name, state, action):
    machine = MACHINES[name]
    declared = machine.cells().get((state, action))
    if declared is None:
        with pytest.raises(TransitionRefused) as refused:
            machine.row(state, action)
        assert str(refused.value)  # a Vietnamese reason, never empty
        assert action not in machine.actions_from(state)
    else:
        assert machine.row(state, action).lands(state) == (declared.target or state)
        assert action in machine.actions_from(state)


@pytest.mark.parametrize("name", NAMES)
def test_an_unknown_action_is_refused(name):
    machine = MACHINES[name]
    with pytest.raises(TransitionRefused, match="không tồn tại"):
        machine.row(machine.initial, "teleport")


@pytest.mark.parametrize("name", NAMES)
def test_every_state_is_reachable_from_the_initial_one(name):
    machine = MACHINES[name]
    seen, todo = {machine.initial}, [machine.initial]
    while todo:
        state = todo.pop()
        for row in machine.rows:
            if state in row.sources and row.lands(state) not in seen:
                seen.add(row.lands(state))
                todo.append(row.lands(state))
    assert seen == set(machine.states.values)


@pytest.mark.parametrize("name", NAMES)
def test_final_states_are_exactly_those_without_a_way_out(name):
    machine = MACHINES[name]
    assert machine.final == {s for s in machine.states.values if not machine.actions_from(s)}


@pytest.mark.parametrize("name", NAMES)
def test_every_source_target_and_code_is_a_real_state(name):
    machine = MACHINES[name]
    states = set(machine.states.values)
    for row in machine.rows:
        assert row.sources and row.sources <= states, row
        assert row.target is None or row.target in states, row
        assert row.name in machine.labels, row
    assert set(machine.codes) <= states
    assert len(set(machine.codes.values())) == len(machine.codes)
    assert set(machine.labels) == {row.name for row in machine.rows}  # no action never used


ROWS = [(name, r) for name in NAMES for r in MACHINES[name].rows]


@pytest.mark.parametrize(("name", "r"), ROWS, ids=[f"{n}:{r.name}" for n, r in ROWS])
def test_a_row_that_asks_for_a_reason_refuses_without_one(name, r):
    """The reason column: a row with a prompt refuses a blank reason with that prompt on the
    field; every row takes a given reason, trimmed."""
    assert stated_reason(r, "  vì lẽ đó  ", field="why") == "vì lẽ đó"
    if r.reason:
        with pytest.raises(ValidationError) as refused:
            stated_reason(r, "   ", field="why")
        assert refused.value.message_dict == {"why": [str(r.reason)]}
    else:
        assert stated_reason(r, None) == ""


def test_refusals_returns_and_recalls_of_the_citizen_ask_for_a_reason():
    """Decree 118/2025 (one-stop), Decree 20/2008 (petitions): the citizen is told why."""
    asking = {(name, r.name) for name, r in ROWS if r.reason}
    assert {
        ("onestop.dossier", "refuse_intake"),
        ("onestop.dossier", "send_back"),
        ("onestop.dossier", "request_supplement"),
        ("onestop.dossier", "apologise"),
        ("onestop.dossier", "refuse"),
        ("onestop.dossier", "withdraw"),
        ("feedback.complaint", "reject"),
        ("meetings.task", "reopen"),
        ("payments.payment", "refund"),
    } == asking
