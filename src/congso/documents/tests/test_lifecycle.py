"""The transition tables, exhaustively: each allowed transition works for the role that holds
its permission at the document's organ, and every other (state, transition, role) is refused
with a Vietnamese message."""

import pytest

from congso.documents import lifecycle
from congso.documents.lifecycle import TransitionRefused

pytestmark = pytest.mark.django_db


#: who holds which permission (from apps.ready) in the ``people`` fixture, at the district
HOLDERS = {
    lifecycle.DRAFT: {"specialist", "leader", "clerk"},  # the clerk drafts too (issue 17)
    lifecycle.APPROVE: {"leader"},
    lifecycle.SIGN: {"leader"},
    lifecycle.ISSUE: {"clerk"},
    lifecycle.REGISTER: {"clerk"},
    lifecycle.ASSIGN: {"leader"},
    lifecycle.HANDLE: {"specialist", "leader", "clerk"},
}


@pytest.mark.parametrize("machine", ["outgoing", "incoming"])
def test_every_cell_of_the_table(machine, people, tree):
    engine = lifecycle.MACHINES[machine]
    table = {cell: (r.target, r.who) for cell, r in engine.cells().items()}
    labels, states = engine.labels, engine.states
    district = tree["district"]
    for state in states.values:
        for name in labels:
            entry = table.get((state, name))
            for who in ("specialist", "leader", "clerk", "clerk_a", "leader_a"):
                user = people[who]
                if entry is not None and who in HOLDERS[entry[1]]:
                    target = lifecycle.check(machine, state, name, user=user, organ=district)
                    assert target == entry[0]
                else:
                    with pytest.raises(TransitionRefused) as refused:
                        lifecycle.check(machine, state, name, user=user, organ=district)
                    assert "Không thể" in str(refused.value) or "không có quyền" in str(
                        refused.value
                    )


def test_unknown_transition_is_named():
    with pytest.raises(TransitionRefused, match="không tồn tại"):
        lifecycle.check("outgoing", "draft", "publish")


def test_allowed_lists_only_what_the_caller_may_do(people, tree):
    district = tree["district"]
    assert lifecycle.allowed("outgoing", "in_review", user=people["leader"], organ=district) == [
        "approve",
        "return",
    ]
    assert lifecycle.allowed("outgoing", "in_review", user=people["clerk"], organ=district) == []
    assert lifecycle.allowed("outgoing", "signed", user=people["clerk"], organ=district) == [
        "issue"
    ]


def test_a_commune_leader_cannot_act_for_the_district(people, tree):
    with pytest.raises(TransitionRefused, match="không có quyền"):
        lifecycle.check(
            "outgoing", "in_review", "approve", user=people["leader_a"], organ=tree["district"]
        )
