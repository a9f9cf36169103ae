"""The transition table, exhaustively: every (state, transition, actor) is either allowed by the
table or refused with a Vietnamese message — never anything in between."""

import itertools

import pytest
from django.utils import translation

from congso.onestop import lifecycle
from congso.onestop.lifecycle import NATIONAL_CODE, TRANSITIONS, Actor, State, TransitionRefused

ALL = list(itertools.product(State.values, TRANSITIONS, Actor.values))


@pytest.mark.parametrize(("state", "name", "actor"), ALL)
def test_every_combination_is_allowed_exactly_when_the_table_says(state, name, actor):
    transition = TRANSITIONS[name]
    expected = state in transition.sources and actor in transition.who
    if expected:
        assert lifecycle.check(state, name, {actor}) is transition
    else:
        with translation.override("vi"), pytest.raises(TransitionRefused) as refused:
            lifecycle.check(state, name, {actor})
        assert "hồ sơ" in str(refused.value)


def test_unknown_transition_is_refused():
    with pytest.raises(TransitionRefused, match="không tồn tại"):
        lifecycle.check(State.NEW, "teleport", {Actor.DESK})


def test_final_states_allow_nothing():
    for state in lifecycle.FINAL_STATES:
        assert lifecycle.allowed(state, set(Actor.values)) == []


def test_every_state_has_a_national_code_1_to_10():
    assert sorted(NATIONAL_CODE[s] for s in State) == list(range(1, 11))


def test_every_non_final_state_can_reach_returned_or_an_end():
    """No dead end: from every open state some transition leads on."""
    for state in set(State.values) - lifecycle.FINAL_STATES:
        assert lifecycle.allowed(state, set(Actor.values)), state


def test_happy_path_reaches_returned():
    path = [
        ("accept", Actor.DESK),
        ("start", Actor.DESK),
        ("forward", Actor.SPECIALIST),
        ("approve", Actor.LEADER),
        ("return_result", Actor.DESK),
    ]
    state = State.NEW
    for name, actor in path:
        state = lifecycle.target_of(state, lifecycle.check(state, name, {actor}))
    assert state == State.RETURNED
