"""The complaint transition table, checked exhaustively: every state × action × side."""

import itertools

import pytest

from congso.feedback import lifecycle
from congso.feedback.lifecycle import ComplaintState as S
from congso.feedback.lifecycle import Side

#: What is allowed, written out independently of the table: (state, action, side) → state.
EXPECTED = {
    (S.RECEIVED, "assign", Side.OFFICIAL): S.ASSIGNED,
    (S.ASSIGNED, "assign", Side.OFFICIAL): S.ASSIGNED,
    (S.RECEIVED, "answer", Side.OFFICIAL): S.ANSWERED,
    (S.ASSIGNED, "answer", Side.OFFICIAL): S.ANSWERED,
    (S.RECEIVED, "reject", Side.OFFICIAL): S.REJECTED,
    (S.ASSIGNED, "reject", Side.OFFICIAL): S.REJECTED,
    (S.ANSWERED, "close", Side.OFFICIAL): S.CLOSED,
    (S.RECEIVED, "withdraw", Side.CITIZEN): S.WITHDRAWN,
    (S.ASSIGNED, "withdraw", Side.CITIZEN): S.WITHDRAWN,
    (S.ANSWERED, "evaluate", Side.CITIZEN): S.CLOSED,
}
CASES = list(itertools.product(S.values, list(lifecycle.ACTIONS), Side.values))


@pytest.mark.parametrize(("state", "action", "side"), CASES)
def test_every_combination(state, action, side):
    expected = EXPECTED.get((state, action, side))
    if expected is None:
        with pytest.raises(lifecycle.TransitionRefused) as refused:
            lifecycle.check(state, action, side)
        assert str(refused.value)  # a Vietnamese reason, never empty
    else:
        assert lifecycle.check(state, action, side) == expected


def test_final_states_allow_nothing():
    for state in (S.CLOSED, S.WITHDRAWN, S.REJECTED):
        for side in Side.values:
            assert lifecycle.allowed(state, side) == []


def test_allowed_lists_each_sides_buttons():
    assert lifecycle.allowed(S.RECEIVED, Side.OFFICIAL) == ["assign", "answer", "reject"]
    assert lifecycle.allowed(S.RECEIVED, Side.CITIZEN) == ["withdraw"]
    assert lifecycle.allowed(S.ANSWERED, Side.CITIZEN) == ["evaluate"]


def test_unknown_action_is_refused_in_vietnamese():
    with pytest.raises(lifecycle.TransitionRefused, match="không tồn tại"):
        lifecycle.check(S.RECEIVED, "delete", Side.OFFICIAL)


def test_open_states_are_those_owing_an_answer():
    owing = {
        s
        for s in S.values
        if lifecycle.allowed(s, Side.OFFICIAL) and "answer" in lifecycle.allowed(s, Side.OFFICIAL)
    }
    assert owing == set(lifecycle.OPEN_STATES)
